/// <reference lib="dom" />
/**
 * The nodes as a user meets them: a real n8n (scripts/n8n-host.sh) with the packed package installed
 * as a community package, its editor driven by headless Chromium through playwright-core.
 *
 *  1. Chromium: /usr/bin/chromium, installed with apt-get when missing (nothing downloads a browser)
 *  2. ensure the n8n host; npm run build; pack and install into a fresh user folder; start n8n
 *  3. set up the owner account and sign in
 *  4. add each of the four nodes from the node creator (search), open its panel, check it
 *  5. run 360dialog Normalize on a sample (Code node → Normalize) and read its table view
 *  6. save PNG screenshots under docs/screenshots/
 *
 * A page error (pageerror), a missing element or a failed check fails the step; the run prints
 * `N passed, N failed` and exits 1 on any failure.
 * Env: UI_N8N_PORT (5760), UI_BROKER_PORT (5761), E2E_SKIP_BUILD=1, E2E_KEEP=1 (keep the run folder),
 *      E2E_STARTUP_TIMEOUT_MS (180000), UI_SCREENSHOTS (docs/screenshots), UI_HEADFUL=1.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import {
	finishRunDir,
	firstBusyPort,
	N8nSession,
	REPO,
	seconds,
	SetupError,
	startN8n,
	stopN8n,
	stopOnSignal,
	waitForN8n,
	type N8nChild,
} from '../../scripts/n8n-session';
import {
	cloudMessages,
	contactsOf,
	DOCS_CUSTOMER,
	DOCS_NUMBER,
	imageMessage,
	status,
	textMessage,
} from '../support/payloads';

const CHROMIUM = '/usr/bin/chromium';

const config = {
	n8nPort: Number(process.env.UI_N8N_PORT || 5760),
	brokerPort: Number(process.env.UI_BROKER_PORT || 5761),
	skipBuild: process.env.E2E_SKIP_BUILD === '1',
	keep: process.env.E2E_KEEP === '1',
	startupTimeoutMs: Number(process.env.E2E_STARTUP_TIMEOUT_MS || 180000),
	screenshots: process.env.UI_SCREENSHOTS || join(REPO, 'docs', 'screenshots'),
	headful: process.env.UI_HEADFUL === '1',
};

const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Owner', password: 'Editor-test-1' };

const log = (message: string) => console.log(`[ui] ${message}`);

/** /usr/bin/chromium, from Debian's package when it is missing (the runner runs as root). */
function ensureChromium(): string {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	log('installing Chromium (apt-get install -y chromium)');
	execFileSync('apt-get', ['update'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	if (!existsSync(CHROMIUM)) throw new SetupError(`apt-get installed chromium, but ${CHROMIUM} is not there`);
	return CHROMIUM;
}

// ------------------------------------------------------------------ steps

interface Context {
	page: Page;
	n8nUrl: string;
	pageErrors: string[];
}

type Step = [name: string, run: (context: Context) => Promise<void>];

class CheckFailed extends Error {}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailed(message);
}

const byTestId = (page: Page | Locator, id: string): Locator => page.locator(`[data-test-id="${id}"]`);

async function screenshot(page: Page, name: string, target?: Locator): Promise<void> {
	const file = join(config.screenshots, `${name}.png`);
	if (target) await target.screenshot({ path: file });
	else await page.screenshot({ path: file });
	log(`  screenshot ${file}`);
}

/** Every data-test-id on the page, for a failure message that shows what was there instead. */
async function testIds(page: Page): Promise<string[]> {
	return await page.evaluate(() => [...new Set(Array.from(document.querySelectorAll('[data-test-id]')).map((element) => element.getAttribute('data-test-id') ?? ''))]);
}

/** Types into the node creator's search field (it has the focus when the creator opens). */
async function search(page: Page, text: string): Promise<void> {
	const input = page.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input').first();
	await input.waitFor();
	await input.fill(text);
}

/** A node in the creator's list, by its exact name (a pattern). */
const creatorItem = (page: Page, name: string): Locator =>
	page
		.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]')
		.filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })
		.first();

/** The open panel starts with a notice of at most two lines, then Events. */
async function expectEventsFirst(page: Page): Promise<void> {
	const parameters = byTestId(page, 'node-parameters');
	await parameters.waitFor();
	const labels = (await parameters.locator('[data-test-id="parameter-item"]').allInnerTexts()).map((text) => text.trim());
	const first = labels.findIndex((text) => text.length > 0);
	check(labels[first + 1]?.startsWith('Events'), `the parameters start with: ${labels.slice(0, 3).join(' | ')}`);
	const notice = parameters.locator('[data-test-id="parameter-item"]').nth(first).locator('.notice, [class*="notice"]').first();
	const lines = await notice.evaluate((element) => {
		const text = element.querySelector('div, span, p') ?? element;
		const style = getComputedStyle(text);
		const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
		return Math.round(text.getBoundingClientRect().height / lineHeight);
	});
	check(lines <= 2, `the notice above Events takes ${lines} lines`);
}

/** A canvas node with this title shows this subtitle. */
async function canvasNode(page: Page, title: string, subtitle: string): Promise<void> {
	const node = byTestId(page, 'canvas-node').filter({ hasText: title }).first();
	await node.waitFor();
	const text = await node.innerText();
	check(text.includes(subtitle), `the canvas node "${title}" reads "${text.replace(/\n/g, ' / ')}", not "${subtitle}"`);
}

/** A workflow whose Manual Trigger holds a sample 360dialog webhook body as pinned data. */
function sampleWorkflow() {
	const customer = DOCS_CUSTOMER.waId;
	const image = imageMessage('wamid.A2', customer);
	const body = cloudMessages(
		{
			contacts: contactsOf(DOCS_CUSTOMER),
			messages: [
				textMessage('wamid.A1', 'Does it come in another color?', customer, '1749416383'),
				{ ...image, image: { ...(image.image as object), caption: 'This one' } },
			],
			statuses: [status('wamid.OUT1', 'read', customer)],
		},
		DOCS_NUMBER,
	);
	const trigger = 'Webhook body (pinned)';
	return {
		name: 'Normalize a sample',
		nodes: [{ id: 'b0c1d2e3-0000-4000-8000-000000000001', name: trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		pinData: { [trigger]: [{ json: { body } }] },
		settings: {},
	};
}

export const STEPS: Step[] = [
	[
		'owner account',
		async ({ page, n8nUrl }) => {
			await page.goto(`${n8nUrl}/setup`);
			const response = await page.request.post(`${n8nUrl}/rest/owner/setup`, { data: OWNER });
			check(response.ok(), `POST /rest/owner/setup answered ${response.status()}: ${await response.text()}`);
			await page.goto(`${n8nUrl}/home/workflows`);
			await page.waitForLoadState('networkidle');
			check(!page.url().includes('/signin') && !page.url().includes('/setup'), `still not signed in: ${page.url()}`);
		},
	],
	[
		'searching "whatsapp" lists the 360dialog trigger before the other 360dialog nodes',
		async ({ page, n8nUrl }) => {
			await page.goto(`${n8nUrl}/workflow/new`);
			await byTestId(page, 'canvas-add-button').click();
			await search(page, 'whatsapp');
			await creatorItem(page, '360dialog Normalize').waitFor();
			const names = (await byTestId(page, 'node-creator-item-name').allInnerTexts()).map((name) => name.trim());
			const ours = names.filter((name) => name.startsWith('360dialog'));
			check(ours[0] === '360dialog', `the first 360dialog result is "${ours[0]}" (results: ${names.join(', ')})`);
			check(ours.includes('360dialog Normalize') && ours.includes('360dialog Partner'), `results: ${names.join(', ')}`);
			await screenshot(page, 'node-creator-search', byTestId(page, 'node-creator'));
		},
	],
	[
		'360dialog Trigger: added from the creator, Events first, subtitle on the canvas',
		async ({ page }) => {
			await search(page, '360dialog');
			await creatorItem(page, '360dialog').click();
			const creator = byTestId(page, 'node-creator');
			await creator.getByText('Triggers (11)').waitFor();
			for (const action of ['On any event', 'On message received', 'On message status (sent, delivered, read, failed)', 'On unknown or malformed event'])
				await creator.getByText(action, { exact: true }).waitFor();
			check(!(await creator.innerText()).includes('On echoes'), 'the creator still lists raw event names');
			await screenshot(page, 'node-creator-triggers', creator);
			await creator.getByText('On message received', { exact: true }).click();

			const ndv = byTestId(page, 'ndv');
			await ndv.waitFor();
			await expectEventsFirst(page);
			const events = byTestId(page, 'parameter-input-events');
			check((await events.innerText()).includes('All Messages'), `Events shows "${await events.innerText()}"`);
			await byTestId(page, 'parameter-input-specificEvents').waitFor();
			await screenshot(page, 'trigger-panel', ndv);
			await byTestId(page, 'ndv-close-button').click();
			await canvasNode(page, '360dialog Trigger', 'Messages');
		},
	],
	[
		'360dialog Partner Trigger: Alerts Only, Minimum Severity with a description per level',
		async ({ page }) => {
			await byTestId(page, 'node-creator-plus-button').click();
			await search(page, '360dialog partner');
			await creatorItem(page, '360dialog Partner( Trigger)?').click();
			const creator = byTestId(page, 'node-creator');
			await creator.getByText('Triggers (5)').waitFor();
			check(!(await creator.innerText()).includes('On custom'), 'the creator still says "On custom"');
			const alerts = 'On alert (violation, quality drop, paused template, endpoint error)';
			await creator.getByText(alerts, { exact: true }).click();

			const ndv = byTestId(page, 'ndv');
			await ndv.waitFor();
			await expectEventsFirst(page);
			const preset = byTestId(page, 'parameter-input-preset');
			check((await preset.locator('input').inputValue()) === 'Alerts Only', `Events shows "${await preset.locator('input').inputValue()}"`);
			await ndv.getByText('Minimum Severity', { exact: true }).waitFor();
			await byTestId(page, 'parameter-input-minSeverity').click();
			for (const level of ['Everything: no event is dropped', 'Only Warning and Critical events, e.g.', 'Only Critical events, e.g.'])
				await page.locator('.el-select-dropdown__item, [role="option"]').filter({ hasText: level }).first().waitFor();
			await screenshot(page, 'partner-trigger-panel', ndv);
			await page.keyboard.press('Escape');
			await byTestId(page, 'ndv-close-button').click();
			await canvasNode(page, '360dialog Partner Trigger', 'Alerts only');
		},
	],
	[
		'360dialog: an action added from the creator opens its panel',
		async ({ page }) => {
			await byTestId(page, 'node-creator-plus-button').click();
			await search(page, '360dialog');
			await creatorItem(page, '360dialog').click();
			const creator = byTestId(page, 'node-creator');
			await creator.getByText('Actions (13)').waitFor();
			await creator.getByText('Send a text message', { exact: true }).click();
			const ndv = byTestId(page, 'ndv');
			await ndv.waitFor();
			await byTestId(page, 'parameter-input-operation').waitFor();
			await byTestId(page, 'ndv-close-button').click();
		},
	],
	[
		'360dialog Normalize: added after a trigger with a sample, run, read in the table view',
		async ({ page, n8nUrl }) => {
			const created = await page.request.post(`${n8nUrl}/rest/workflows`, { data: sampleWorkflow() });
			check(created.ok(), `POST /rest/workflows answered ${created.status()}: ${await created.text()}`);
			const { data } = (await created.json()) as { data: { id: string } };
			await page.goto(`${n8nUrl}/workflow/${data.id}`);
			await byTestId(page, 'canvas-handle-plus').first().click();
			await search(page, 'normalize');
			await creatorItem(page, '360dialog Normalize').click();
			await page.getByRole('button', { name: 'Add to workflow' }).click();

			const ndv = byTestId(page, 'ndv');
			await ndv.waitFor();
			await byTestId(page, 'parameter-input-simplify').waitFor();
			await byTestId(page, 'node-execute-button').click();
			const output = byTestId(page, 'output-panel');
			await byTestId(output, 'radio-button-table').click();
			const header = output.locator('table thead th');
			await header.first().waitFor();
			const columns = (await header.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
			check(columns.slice(0, 4).join(',') === 'event,from,contactName,text', `table columns: ${columns.join(', ')}`);
			const body = await output.locator('table tbody').innerText();
			check(body.includes('message.text') && body.includes('Does it come in another color?'), `table rows: ${body.slice(0, 300)}`);
			await screenshot(page, 'normalize-output', ndv);
		},
	],
];

// ------------------------------------------------------------------ main

export async function main(): Promise<number> {
	const started = Date.now();
	let runDir: string | undefined;
	let n8n: N8nChild | undefined;
	let browser: Browser | undefined;
	let passed = 0;
	let failed = 0;
	let setupOk = false;

	const cleanup = async () => {
		if (browser) await browser.close().catch(() => undefined);
		browser = undefined;
		await stopN8n(n8n, log);
		n8n = undefined;
	};
	stopOnSignal(log, cleanup);

	try {
		const busy = await firstBusyPort([
			['UI_N8N_PORT', config.n8nPort],
			['UI_BROKER_PORT', config.brokerPort],
		]);
		if (busy) throw new SetupError(`port ${busy[1]} on 127.0.0.1 is in use (another n8n?); set ${busy[0]}`);

		const executablePath = ensureChromium();
		const session = N8nSession.prepare({
			prefix: 'n8n-360dialog-ui-',
			build: !config.skipBuild,
			log,
			onRunDir: (dir) => (runDir = dir),
		});
		const logFile = join(session.runDir, 'n8n.log');
		const host = session.host(config.n8nPort, config.brokerPort);
		const n8nUrl = `http://localhost:${config.n8nPort}`;
		const t = Date.now();
		n8n = startN8n(host, { N8N_LOG_LEVEL: 'info' }, logFile);
		await waitForN8n(n8n, n8nUrl, logFile, config.startupTimeoutMs);
		log(`n8n started on ${n8nUrl} (${seconds(Date.now() - t)}); log: ${logFile}`);

		mkdirSync(config.screenshots, { recursive: true });
		browser = await chromium.launch({ executablePath, headless: !config.headful, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		page.setDefaultTimeout(30000);
		setupOk = true;

		for (const [name, run] of STEPS) {
			const errorsBefore = pageErrors.length;
			const stepStarted = Date.now();
			try {
				await run({ page, n8nUrl, pageErrors });
				const errors = pageErrors.slice(errorsBefore);
				check(errors.length === 0, `page errors: ${errors.join(' | ')}`);
				passed++;
				log(`PASS ${name} (${seconds(Date.now() - stepStarted)})`);
			} catch (error) {
				failed++;
				log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
				await screenshot(page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
				log(`  test ids on the page: ${JSON.stringify(await testIds(page).catch(() => []))}`);
			}
		}
	} catch (error) {
		failed++;
		console.error(`[ui] setup failed: ${error instanceof SetupError ? error.message : (error as Error).stack}`);
	} finally {
		await cleanup();
		finishRunDir(runDir, setupOk && failed === 0, config.keep, log);
	}
	console.log(`UI ${failed === 0 ? 'PASS' : 'FAIL'} after ${seconds(Date.now() - started)}`);
	console.log(`ui: ${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}
