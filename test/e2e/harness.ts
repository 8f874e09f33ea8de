/**
 * Helpers for *.e2e.ts files. The runner (test/e2e/run.ts) starts the simulator and n8n, then runs
 * jest with E2E_STATE_FILE pointing at a JSON file that says where everything is.
 */
import { readFileSync } from 'node:fs';

import { ownerCookie, type RunState } from '../../scripts/n8n-session';
import { connectSimulator, type SimulatorClient } from '../simulator/simulator';

/** What the runner's state file says: test/e2e/run.ts and test/queue/run.ts write it (scripts/n8n-session.ts). */
export type E2EState = RunState;

let cached: E2EState | undefined;

export function e2eState(): E2EState {
	if (cached) return cached;
	const file = process.env.E2E_STATE_FILE;
	if (!file) {
		throw new Error(
			'E2E_STATE_FILE is not set: run the e2e suite with `npm run test:e2e` (test/e2e/run.ts starts n8n and the simulator).',
		);
	}
	cached = JSON.parse(readFileSync(file, 'utf8')) as E2EState;
	return cached;
}

/** Whether the suite runs against n8n in queue mode (`npm run test:queue`, test/queue/run.ts). */
export function queueMode(): boolean {
	return 'queue' in e2eState();
}

export function simulator(): SimulatorClient {
	return connectSimulator(e2eState().simUrl);
}

/** Production webhook URL of a published workflow: `${n8nUrl}/webhook/<path>`. */
export function webhookUrl(path: string): string {
	return `${e2eState().n8nUrl}/webhook/${path.replace(/^\/+/, '')}`;
}

export function n8nLog(): string {
	return readFileSync(e2eState().n8nLogFile, 'utf8');
}

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

export async function request(
	method: string,
	url: string,
	{ body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
	const raw = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
	const response = await fetch(url, {
		method,
		headers: { ...(raw === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: raw as string | undefined,
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
	return request('POST', url, { body, headers });
}

/** Polls `probe` until it returns something other than undefined/false, or throws after the timeout. */
export async function waitFor<T>(
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	{ timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const suffix = lastError ? ` (last error: ${String(lastError)})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${suffix}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

// ESC [ ... m, built from its code so that the pattern holds no control character.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** n8n's log without colour codes. */
export function n8nLogText(): string {
	return n8nLog().replace(ANSI, '');
}

/**
 * n8n's log as entries: at debug level each starts with a time and the level (`05:44:08.916   warn
 * ...`, or `<ISO time> | warn | ...`), and an entry may go on over several lines.
 */
export function n8nLogEntries(): Array<{ level: string; text: string }> {
	const start = /^(\d\d:\d\d:\d\d\.\d+|\d{4}-\d\d-\d\dT\S+)\s+\|?\s*([a-z]+)\b/;
	const entries: Array<{ level: string; text: string }> = [];
	for (const line of n8nLogText().split('\n')) {
		const match = start.exec(line);
		if (match) entries.push({ level: match[2], text: line });
		else if (entries.length > 0) entries[entries.length - 1].text += `\n${line}`;
	}
	return entries;
}

// ------------------------------------------------------------------ n8n's REST API (editor session)
// Publishing and unpublishing a workflow while n8n runs goes through the editor's REST API, which
// needs a login. The first call sets up the owner account (the run's n8n is fresh), later ones log in.

export const E2E_OWNER = {
	email: 'e2e-owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-password-1',
};
const BROWSER_ID = 'n8n-nodes-360dialog-e2e';
let sessionCookie: string | undefined;

/** A logged-in session cookie for n8n's REST API (owner setup on first use). */
export async function n8nSession(): Promise<string> {
	sessionCookie ??= await ownerCookie(e2eState().n8nUrl, E2E_OWNER, BROWSER_ID);
	return sessionCookie;
}

/** Calls n8n's REST API (`/rest/...`) as the owner; throws unless it answers 2xx. */
export async function n8nRest(method: string, restPath: string, body?: unknown): Promise<unknown> {
	const cookie = await n8nSession();
	const response = await request(
		method,
		`${e2eState().n8nUrl}/rest/${restPath.replace(/^\/+/, '')}`,
		{
			body,
			headers: { cookie, 'browser-id': BROWSER_ID },
		},
	);
	if (response.status < 200 || response.status >= 300) {
		throw new Error(`n8n ${method} /rest/${restPath} -> ${response.status} ${response.text}`);
	}
	return (response.json as { data?: unknown } | undefined)?.data;
}

/** Unpublishes (deactivates) a workflow in the running n8n: its trigger nodes' webhook `delete` runs. */
export async function deactivateWorkflow(workflowId: string): Promise<void> {
	await n8nRest('POST', `workflows/${workflowId}/deactivate`, {});
}

/** Publishes (activates) the current version of a workflow in the running n8n: webhook `create` runs. */
export async function activateWorkflow(workflowId: string): Promise<void> {
	const workflow = (await n8nRest('GET', `workflows/${workflowId}`)) as { versionId: string };
	await n8nRest('POST', `workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

// ------------------------------------------------------------------ package e2e helpers

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What a capture of collectAndCapture() (workflows.ts) holds: one execution's items. */
export interface ExecutionCapture {
	executionId: string;
	items: Array<Record<string, unknown>>;
}

/** The captures of a collectAndCapture() tag, as executions. */
export async function executionCaptures(tag: string): Promise<ExecutionCapture[]> {
	return (await simulator().captures(tag)).map((capture) => capture.body as ExecutionCapture);
}

/**
 * Waits until a tag has `count` captures, then `settleMs` more, and returns them all (so that a
 * test can see that no further execution followed).
 */
export async function waitForExecutions(
	tag: string,
	count: number,
	{ timeoutMs = 20000, settleMs = 0 }: { timeoutMs?: number; settleMs?: number } = {},
): Promise<ExecutionCapture[]> {
	await simulator().waitForCaptures(tag, { count, timeoutMs, intervalMs: 25 });
	if (settleMs > 0) await sleep(settleMs);
	return executionCaptures(tag);
}

/** JSON round trip: what a value looks like after n8n and an HTTP request carried it. */
export function viaJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** The registered webhook headers of a number (the messaging trigger's generated secret among them). */
export async function registeredHeaders(apiKey: string): Promise<Record<string, string>> {
	return (await simulator().number(apiKey)).webhook.headers;
}

/** How many executions n8n has stored for a workflow (REST, as the owner). */
export async function executionCount(workflowId: string): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const data = (await n8nRest('GET', `executions?filter=${filter}&limit=1`)) as {
		count: number;
	};
	return data.count;
}

/**
 * The workflow's execution count once it has stopped moving for `quietMs`: a count taken right
 * after an earlier test's delivery can miss that execution, which n8n saves a moment later.
 */
export async function settledExecutionCount(workflowId: string, quietMs = 1500): Promise<number> {
	let count = await executionCount(workflowId);
	let stableSince = Date.now();
	while (Date.now() - stableSince < quietMs) {
		await sleep(250);
		const now = await executionCount(workflowId);
		if (now !== count) {
			count = now;
			stableSince = Date.now();
		}
	}
	return count;
}

/** Runs `worker` over `inputs` with at most `concurrency` calls in flight. */
export async function mapConcurrent<T, R>(
	inputs: readonly T[],
	concurrency: number,
	worker: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(concurrency, inputs.length) }, async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await worker(inputs[index], index);
		}
	});
	await Promise.all(lanes);
	return results;
}

/**
 * Whether a trigger's 200 answer says it started no execution (`{received, started: false,
 * filteredOut, duplicates, reason}`: all events filtered out or seen before). A run answers `{received, started: true, events}`.
 */
export function startedNothing(responseBody: string | null): boolean {
	try {
		return (JSON.parse(responseBody ?? '') as { started?: unknown }).started === false;
	} catch {
		return false;
	}
}
