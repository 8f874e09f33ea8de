/**
 * Helpers for *.e2e.ts files. The runner (test/e2e/run.js) starts the simulator and n8n, then runs
 * jest with E2E_STATE_FILE pointing at a JSON file that says where everything is.
 */
import { readFileSync } from 'node:fs';

import { connectSimulator, type SimulatorClient } from '../simulator/simulator';

export interface E2EState {
	/** n8n's base URL, e.g. http://localhost:5688 */
	n8nUrl: string;
	n8nPort: number;
	brokerPort: number;
	n8nVersion: string;
	/** Simulator base URL, e.g. http://127.0.0.1:41234 */
	simUrl: string;
	/** N8N_USER_FOLDER of this run (n8n keeps its data in <userFolder>/.n8n). */
	userFolder: string;
	/** Where the package under test was installed: <userFolder>/.n8n/nodes/node_modules/<name>. */
	packageDir: string;
	packageName: string;
	packageVersion: string;
	/** Everything n8n printed (debug level) since it started. */
	n8nLogFile: string;
	runDir: string;
	workflows: Array<{ id: string; name: string }>;
}

let cached: E2EState | undefined;

export function e2eState(): E2EState {
	if (cached) return cached;
	const file = process.env.E2E_STATE_FILE;
	if (!file) {
		throw new Error(
			'E2E_STATE_FILE is not set: run the e2e suite with `npm run test:e2e` (test/e2e/run.js starts n8n and the simulator).',
		);
	}
	cached = JSON.parse(readFileSync(file, 'utf8')) as E2EState;
	return cached;
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

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** n8n's log without colour codes. */
export function n8nLogText(): string {
	return n8nLog().replace(ANSI, '');
}
