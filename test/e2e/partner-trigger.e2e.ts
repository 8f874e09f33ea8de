/**
 * The 360dialog Partner Trigger inside a real n8n, through the simulator's Partner API and signed
 * sender: registration and restore, signatures, the Alerts Only preset, batches and the corpus.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { normalize, partnerFilter } from '../../index';
import {
	DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL,
	hmacHex,
	SIGNATURE_HEADER,
} from '../simulator/simulator';
import { corpusAvailable, corpusFiles, corpusText } from '../support/corpus';
import {
	activateWorkflow,
	deactivateWorkflow,
	e2eState,
	executionCaptures,
	executionCount,
	settledExecutionCount,
	postJson,
	simulator,
	sleep,
	startedNothing,
	viaJson,
	waitForExecutions,
} from './harness';
import { PARTNER, PARTNER_ALERTS } from './fixtures';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS, WORKFLOW_IDS } from './workflows';

const QUIET_MS = 2500;
const urlOf = (webhookId: string) => triggerWebhookUrl(e2eState().n8nUrl, webhookId);

function fixturePayload(relative: string): unknown {
	const file = path.join(__dirname, '../fixtures', relative);
	return (JSON.parse(readFileSync(file, 'utf8')) as { payload: unknown }).payload;
}

function expectedItems(payload: unknown, preset: 'all' | 'alerts' = 'all'): unknown[] {
	return viaJson(normalize(payload).filter(partnerFilter({ preset })));
}

async function deliverSigned(partnerId: string, payload: unknown) {
	const outcome = await simulator().deliverPartner(partnerId, payload, { retries: 0 });
	expect(outcome.attempts).toHaveLength(1);
	expect(outcome.attempts[0].status).toBe(200);
	return outcome.attempts[0];
}

describe('360dialog Partner Trigger in n8n', () => {
	it('publishing registered each partner webhook URL', async () => {
		const sim = simulator();
		expect((await sim.partner(PARTNER.partnerId)).webhookUrl).toBe(urlOf(WEBHOOK_IDS.partnerAll));
		expect((await sim.partner(PARTNER_ALERTS.partnerId)).webhookUrl).toBe(
			urlOf(WEBHOOK_IDS.partnerAlerts),
		);
	});

	it('unpublishing restores the previous webhook URL; republishing registers again', async () => {
		const sim = simulator();
		const url = urlOf(WEBHOOK_IDS.partnerAll);
		await deactivateWorkflow(WORKFLOW_IDS.partnerAll);
		expect((await sim.partner(PARTNER.partnerId)).webhookUrl).toBe(
			DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL,
		);
		expect((await postJson(url, { id: 'x', event: 'channel_live', data: {} })).status).toBe(404);

		await activateWorkflow(WORKFLOW_IDS.partnerAll);
		expect((await sim.partner(PARTNER.partnerId)).webhookUrl).toBe(url);

		await sim.clearCaptures(CAPTURE_TAGS.partnerAll);
		const payload = fixturePayload('partner/channel-live.json');
		await deliverSigned(PARTNER.partnerId, payload);
		const [execution] = await waitForExecutions(CAPTURE_TAGS.partnerAll, 1);
		expect(execution.items).toEqual(expectedItems(payload));
	});

	it('a wrong or missing signature is answered 401 and starts nothing', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.partnerAll;
		await sim.clearCaptures(tag);
		const before = await settledExecutionCount(WORKFLOW_IDS.partnerAll);
		const payload = fixturePayload('partner/account-violation.json');
		for (const signature of ['wrong', 'missing', 'not-hex'] as const) {
			const outcome = await sim.deliverPartner(PARTNER.partnerId, payload, {
				retries: 0,
				signature,
			});
			expect({ signature, status: outcome.attempts[0].status }).toEqual({ signature, status: 401 });
		}
		// Signed with the other partner's secret, straight to this workflow's URL: refused too.
		const body = JSON.stringify(payload);
		const otherKey = await postJson(urlOf(WEBHOOK_IDS.partnerAll), body, {
			[SIGNATURE_HEADER]: hmacHex(PARTNER_ALERTS.platformSecret, body),
		});
		expect(otherKey.status).toBe(401);
		// The same request signed with the right secret passes the check (so the 401s were the signature).
		const right = await postJson(urlOf(WEBHOOK_IDS.partnerAll), body, {
			[SIGNATURE_HEADER]: hmacHex(PARTNER.platformSecret, body),
		});
		expect(right.status).toBe(200);
		const captures = await waitForExecutions(tag, 1, { settleMs: QUIET_MS });
		expect(captures).toHaveLength(1);
		expect(captures[0].items).toEqual(expectedItems(payload));
		expect(await executionCount(WORKFLOW_IDS.partnerAll)).toBe(before + 1);
	});

	it('Alerts Only: an account_violation runs, a channel_live does not', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.partnerAlerts;
		await sim.clearCaptures(tag);
		const live = fixturePayload('partner/channel-live.json');
		const violation = fixturePayload('partner/account-violation.json');
		expect(expectedItems(live, 'alerts')).toEqual([]);
		expect(expectedItems(violation, 'alerts')).toHaveLength(1);

		const quiet = await deliverSigned(PARTNER_ALERTS.partnerId, live);
		expect(JSON.parse(quiet.responseBody ?? '{}')).toMatchObject({ received: 1, started: false, filteredOut: 1, duplicates: 0 });
		const loud = await deliverSigned(PARTNER_ALERTS.partnerId, violation);
		expect(startedNothing(loud.responseBody)).toBe(false);

		const captures = await waitForExecutions(tag, 1, { settleMs: QUIET_MS });
		expect(captures).toHaveLength(1);
		expect(captures[0].items).toEqual(expectedItems(violation, 'alerts'));
		expect(captures[0].items[0]).toMatchObject({
			event: 'partner.account_violation',
			severity: 'critical',
		});
	});

	it('a JSON array of events is split into items of one execution', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.partnerAll;
		await sim.clearCaptures(tag);
		const batch = fixturePayload('partner/batch-array.json');
		expect(Array.isArray(batch)).toBe(true);
		const expected = expectedItems(batch);
		expect(expected.length).toBeGreaterThan(1);
		await deliverSigned(PARTNER.partnerId, batch);
		const captures = await waitForExecutions(tag, 1, { settleMs: 1000 });
		expect(captures).toHaveLength(1);
		expect(captures[0].items).toEqual(expected);
	});

	(corpusAvailable() ? it : it.skip)(
		'every partner corpus payload gives exactly normalize() items, one execution each',
		async () => {
			const files = corpusFiles().filter((file) => file.format === 'partner');
			expect(files.length).toBeGreaterThan(0);
			const sim = simulator();
			const tag = CAPTURE_TAGS.partnerAll;
			await sim.clearCaptures(tag);
			for (const [index, file] of files.entries()) {
				const text = corpusText(file);
				await deliverSigned(PARTNER.partnerId, text);
				const captures = await waitForExecutions(tag, index + 1);
				expect({ file: file.path, items: captures[index].items }).toEqual({
					file: file.path,
					items: expectedItems(JSON.parse(text)),
				});
			}
			await sleep(1000);
			expect(await executionCaptures(tag)).toHaveLength(files.length);
		},
	);
});
