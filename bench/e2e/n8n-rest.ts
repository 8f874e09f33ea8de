/** n8n's REST API as the owner (the session from ownerCookie in scripts/n8n-session.ts). */
import { ownerCookie, SetupError, seconds, sleep } from '../../scripts/n8n-session';

const OWNER = {
	email: 'bench-owner@example.com',
	firstName: 'Bench',
	lastName: 'Owner',
	password: 'Bench-owner-password-1',
};
const BROWSER_ID = 'n8n-nodes-360dialog-bench';
let cookie: string | undefined;

/** Forget the session (after n8n restarted). */
export function resetSession(): void {
	cookie = undefined;
}

/** One REST call; returns the answer's `data`, typed as the caller expects it. */
export async function rest<T>(n8nUrl: string, method: string, restPath: string, body?: unknown): Promise<T> {
	const headers = { 'browser-id': BROWSER_ID, 'content-type': 'application/json' };
	cookie ??= await ownerCookie(n8nUrl, OWNER, BROWSER_ID);
	const res = await fetch(`${n8nUrl}/rest/${restPath}`, {
		method,
		headers: { ...headers, cookie },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status < 200 || res.status >= 300) {
		throw new SetupError(`n8n ${method} /rest/${restPath} -> ${res.status} ${text.slice(0, 300)}`);
	}
	return (JSON.parse(text) as { data: T }).data;
}

export const FINISHED = ['success', 'error', 'crashed', 'canceled'];
export const ANY = [...FINISHED, 'running', 'new', 'waiting'];

/** GET /rest/executions: how many match, and the newest `limit` of them. */
export interface ExecutionListing {
	count: number;
	results: Array<{ id: string; stoppedAt: string }>;
}

export function executions(
	n8nUrl: string,
	workflowId: string,
	status: string[],
	limit = 1,
): Promise<ExecutionListing> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	return rest<ExecutionListing>(n8nUrl, 'GET', `executions?filter=${filter}&limit=${limit}`);
}

/** Waits (bounded) until `workflowId` has `expected` finished executions; returns the listing. */
export async function waitForExecutions(
	n8nUrl: string,
	workflowId: string,
	expected: number,
	timeoutMs = 180000,
): Promise<ExecutionListing> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = await executions(n8nUrl, workflowId, FINISHED);
		// n8n counts and lists in two queries: an execution finishing between them is counted but
		// not yet listed, so a listing only counts once it shows one.
		if (done.count >= expected && (expected === 0 || done.results.length > 0)) return done;
		if (Date.now() > deadline) {
			throw new SetupError(
				`${workflowId}: ${done.count} of ${expected} executions after ${seconds(timeoutMs)}`,
			);
		}
		await sleep(50);
	}
}
