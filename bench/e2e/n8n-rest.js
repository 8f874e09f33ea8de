'use strict';
/** n8n's REST API as the owner (set up on first use, like test/e2e/harness.ts does). */
const { SetupError, seconds, sleep } = require('../../scripts/n8n-session.ts');

const OWNER = {
	email: 'bench-owner@example.com',
	firstName: 'Bench',
	lastName: 'Owner',
	password: 'Bench-owner-password-1',
};
const BROWSER_ID = 'n8n-nodes-360dialog-bench';
let cookie;

/** Forget the session (after n8n restarted). */
function resetSession() {
	cookie = undefined;
}

async function rest(n8nUrl, method, restPath, body) {
	const headers = { 'browser-id': BROWSER_ID, 'content-type': 'application/json' };
	if (!cookie) {
		const cookieOf = (res) => /n8n-auth=[^;]+/.exec(res.headers.get('set-cookie') || '')?.[0];
		let res = await fetch(`${n8nUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify(OWNER),
		});
		cookie = res.status === 200 ? cookieOf(res) : undefined;
		if (!cookie) {
			res = await fetch(`${n8nUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			cookie = cookieOf(res);
		}
		if (!cookie) throw new SetupError(`n8n owner setup/login failed (${res.status})`);
	}
	const res = await fetch(`${n8nUrl}/rest/${restPath}`, {
		method,
		headers: { ...headers, cookie },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status < 200 || res.status >= 300) {
		throw new SetupError(`n8n ${method} /rest/${restPath} -> ${res.status} ${text.slice(0, 300)}`);
	}
	return JSON.parse(text).data;
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const ANY = [...FINISHED, 'running', 'new', 'waiting'];

function executions(n8nUrl, workflowId, status, limit = 1) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	return rest(n8nUrl, 'GET', `executions?filter=${filter}&limit=${limit}`);
}

/** Waits (bounded) until `workflowId` has `expected` finished executions; returns the listing. */
async function waitForExecutions(n8nUrl, workflowId, expected, timeoutMs = 180000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = await executions(n8nUrl, workflowId, FINISHED);
		if (done.count >= expected) return done;
		if (Date.now() > deadline) {
			throw new SetupError(
				`${workflowId}: ${done.count} of ${expected} executions after ${seconds(timeoutMs)}`,
			);
		}
		await sleep(50);
	}
}

module.exports = { rest, resetSession, executions, waitForExecutions, FINISHED, ANY };
