/**
 * The package in n8n's queue mode (test/queue/run.js starts it): main + two webhook processes behind
 * a round-robin balancer + two workers, PostgreSQL and Redis. The e2e suites run against the same
 * cluster through the balancer; this file adds what only queue mode has: load spread over both
 * webhook processes, concurrent redeliveries racing across processes, a main restart, a worker crash.
 * Everything is asserted through the simulator's captures.
 */
import { readFileSync } from 'node:fs';

import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { NUMBERS, type NumberKey } from '../e2e/fixtures';
import {
	activateWorkflow,
	deactivateWorkflow,
	e2eState,
	executionCaptures,
	mapConcurrent,
	n8nRest,
	registeredHeaders,
	simulator,
	sleep,
	startedNothing,
	waitFor,
} from '../e2e/harness';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS, WORKFLOW_IDS } from '../e2e/workflows';
import { cloudTextMessage } from '../support/payloads';

interface QueueState {
	controlUrl: string;
	webhookUrls: string[];
	logFiles: Record<string, string>;
}
const queue = () => (e2eState() as unknown as { queue: QueueState }).queue;

async function control(method: 'GET' | 'POST', path: string): Promise<Record<string, unknown>> {
	const response = await fetch(`${queue().controlUrl}/__cluster/${path}`, { method });
	const body = (await response.json()) as Record<string, unknown>;
	if (response.status !== 200) throw new Error(`cluster ${path}: ${JSON.stringify(body)}`);
	return body;
}

/** A Cloud API text message for a number, with a chosen id. */
function textBody(numberKey: NumberKey, id: string, index: number): string {
	const number = NUMBERS[numberKey];
	return JSON.stringify(
		cloudTextMessage(id, `queue ${id}`, {
			number,
			customer: { waId: '16505551234', name: 'Queue' },
			timestamp: String(1760000000 + index),
		}),
	);
}

/** POSTs a body to the balancer (which sends it to the next webhook process). */
async function post(
	url: string,
	headers: Record<string, string>,
	body: string,
): Promise<{ status: number; text: string }> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body,
		});
		return { status: response.status, text: await response.text() };
	} catch (error) {
		return { status: 0, text: String(error) };
	}
}

/** Waits until a tag's captures hold `count` distinct messages (or the timeout), then `settleMs`; returns the message ids. */
async function capturedIds(
	tag: string,
	count: number,
	timeoutMs: number,
	settleMs = 3000,
): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	const ids = async () =>
		(await executionCaptures(tag)).flatMap((execution) =>
			execution.items.map((item) => item.messageId as string),
		);
	while (new Set(await ids()).size < count && Date.now() < deadline) await sleep(1000);
	await sleep(settleMs);
	return await ids();
}

const countBy = (values: string[]) => {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
};

const report = (name: string, figures: object) =>
	console.log(`queue ${name}: ${JSON.stringify(figures)}`);

const LOAD_TOTAL = Number(process.env.QUEUE_LOAD_TOTAL || 5000);
const LOAD_CONCURRENCY = Number(process.env.QUEUE_LOAD_CONCURRENCY || 50);
const DRAIN_TIMEOUT_MS = Number(process.env.QUEUE_DRAIN_TIMEOUT_MS || 900000);

describe('queue mode: main + 2 webhook processes + 2 workers', () => {
	it('every process runs with the package from the one user folder, PostgreSQL and queue mode', async () => {
		const status = (await control('GET', 'status')).processes as Array<{
			name: string;
			pid: number | null;
		}>;
		expect(status.map((process) => process.name)).toEqual([
			'main',
			'webhook-1',
			'webhook-2',
			'worker-1',
			'worker-2',
		]);
		expect(status.every((process) => typeof process.pid === 'number')).toBe(true);
		for (const [name, file] of Object.entries(queue().logFiles)) {
			const log = readFileSync(file, 'utf8');
			// A package that failed to load shows up as an "Unrecognized node type" or a loader error.
			expect({
				name,
				problem:
					/Unrecognized node type|Error loading package|n8n-nodes-360dialog.*(error|failed)/i.test(
						log,
					),
			}).toEqual({ name, problem: false });
		}
	});

	it(
		`${LOAD_TOTAL} posts at concurrency ${LOAD_CONCURRENCY} over both webhook processes: no 5xx, every event captured exactly once`,
		async () => {
			const sim = simulator();
			const tag = CAPTURE_TAGS.triggerLoad;
			await sim.clearCaptures(tag);
			await control('POST', 'reset-counts');
			const url = triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerLoad);
			const headers = await registeredHeaders(NUMBERS.load.apiKey);
			const ids = Array.from(
				{ length: LOAD_TOTAL },
				(_, i) => `wamid.queue-load-${String(i).padStart(5, '0')}`,
			);

			const started = Date.now();
			const answers = await mapConcurrent(
				ids,
				LOAD_CONCURRENCY,
				async (id, i) => await post(url, headers, textBody('load', id, i)),
			);
			const postSeconds = (Date.now() - started) / 1000;
			const statuses = Object.fromEntries(countBy(answers.map((answer) => String(answer.status))));
			const notStarted = answers.filter(
				(answer) => answer.status !== 200 || startedNothing(answer.text),
			);
			const status = await control('GET', 'status');
			const perProcess = status.forwarded as Record<string, number>;
			report('load answers', {
				statuses,
				upstreamErrors: status.upstreamErrors,
				notStarted: notStarted.slice(0, 5),
			});
			expect(statuses).toEqual({ 200: LOAD_TOTAL });
			expect(notStarted).toEqual([]);

			const captured = await capturedIds(tag, LOAD_TOTAL, DRAIN_TIMEOUT_MS);
			const drainSeconds = (Date.now() - started) / 1000 - 3;
			report('load', {
				posts: LOAD_TOTAL,
				concurrency: LOAD_CONCURRENCY,
				statuses,
				perWebhookProcess: perProcess,
				postsPerSecond: +(LOAD_TOTAL / postSeconds).toFixed(1),
				executionsPerSecondEndToEnd: +(captured.length / drainSeconds).toFixed(1),
				captured: captured.length,
			});

			expect(Object.values(perProcess).sort()).toEqual([LOAD_TOTAL / 2, LOAD_TOTAL / 2]);
			expect(captured).toHaveLength(LOAD_TOTAL);
			expect(new Set(captured)).toEqual(new Set(ids));
		},
		30 * 60 * 1000,
	);

	it('each event delivered 3 times at once over both webhook processes reaches the workflow exactly once, and redelivered later never', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerDedupe;
		await sim.clearCaptures(tag);
		const url = triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerDedupe);
		const headers = await registeredHeaders(NUMBERS.dedupe.apiKey);
		const events = Array.from(
			{ length: 100 },
			(_, i) => `wamid.queue-redelivery-${String(i).padStart(3, '0')}`,
		);

		// Three copies of each event in flight together: the balancer sends them to alternating processes.
		const answers = await mapConcurrent(events, 10, async (id, i) => {
			const body = textBody('dedupe', id, i);
			return await Promise.all([0, 1, 2].map(async () => await post(url, headers, body)));
		});
		const captured = await capturedIds(tag, events.length, 120000, 5000);
		const perEvent = countBy(captured);
		const runsStarted = answers
			.flat()
			.filter((answer) => answer.status === 200 && !startedNothing(answer.text)).length;
		const duplicatesCaptured = captured.length - perEvent.size;
		report('concurrent redelivery', {
			events: events.length,
			posts: events.length * 3,
			statuses: Object.fromEntries(countBy(answers.flat().map((answer) => String(answer.status)))),
			// Runs started past the first per event: without the run-time check each of these reached the workflow.
			duplicateRunsStarted: runsStarted - events.length,
			duplicatesCaptured,
			eventsCapturedTwice: [...perEvent.values()].filter((n) => n === 2).length,
		});

		expect(answers.flat().every((answer) => answer.status === 200)).toBe(true);
		expect(new Set(captured)).toEqual(new Set(events));
		// Copies on one worker are checked one after another, and workers take turns under the
		// workflow's lock in n8n's processed-data table: one copy of each event reaches the workflow.
		expect(duplicatesCaptured).toBe(0);

		// Redelivered again now, after their runs: no copy reaches the workflow.
		await sim.clearCaptures(tag);
		const again = await mapConcurrent(
			events,
			10,
			async (id, i) => await post(url, headers, textBody('dedupe', id, i)),
		);
		await sleep(8000);
		expect(again.every((answer) => answer.status === 200)).toBe(true);
		expect(await executionCaptures(tag)).toEqual([]);
	}, 300000);

	it('restart of main (killed, started again): the registration is intact and unpublishing still restores the previous URL', async () => {
		const sim = simulator();
		const apiKey = NUMBERS.lifecycle.apiKey;
		const ourUrl = triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerLifecycle);
		const before = await sim.number(apiKey);
		expect(before.webhook.url).toBe(ourUrl);
		const registrations = async () =>
			(await sim.requests({ method: 'POST', path: '/v1/configs/webhook' })).filter(
				(r) => r.headers['d360-api-key'] === apiKey,
			).length;
		const registrationsBefore = await registrations();

		const killed = await control('POST', 'kill/main');
		expect(typeof killed.pid).toBe('number');
		// Deliveries go on while main is down: webhook processes and workers do not need it.
		const whileDown = await sim.deliverMessaging(
			apiKey,
			textBody('lifecycle', 'wamid.queue-main-down', 1),
			{ retries: 0 },
		);
		expect(whileDown.main.attempts[0].status).toBe(200);
		const restarted = await control('POST', 'start/main');
		expect(restarted.pid).not.toBe(killed.pid);

		const after = await sim.number(apiKey);
		expect(after.webhook).toEqual(before.webhook);
		// checkExists found our URL and our secret: nothing was registered again.
		expect(await registrations()).toBe(registrationsBefore);
		const delivered = await sim.deliverMessaging(
			apiKey,
			textBody('lifecycle', 'wamid.queue-after-restart', 2),
			{ retries: 0 },
		);
		expect(delivered.main.attempts[0].status).toBe(200);
		expect(startedNothing(delivered.main.attempts[0].responseBody)).toBe(false);
		expect(after.webhook.headers[GENERATED_HEADER_NAME]).toBe(
			before.webhook.headers[GENERATED_HEADER_NAME],
		);

		await waitFor(
			async () =>
				(await executionCaptures(CAPTURE_TAGS.triggerLifecycle)).some((c) =>
					c.items.some((item) => item.messageId === 'wamid.queue-after-restart'),
				),
			{
				timeoutMs: 60000,
				what: 'the delivery after the restart to be captured',
			},
		);

		await deactivateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		const restored = await sim.number(apiKey);
		expect(restored.webhook).toEqual(NUMBERS.lifecycle.webhook);
		await activateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		expect((await sim.number(apiKey)).webhook.url).toBe(ourUrl);
	}, 600000);

	it('a worker killed mid-load: executions it had not started run on the other worker; the ones it was running are listed as failed, not run again', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerLoad;
		await sim.clearCaptures(tag);
		const url = triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerLoad);
		const headers = await registeredHeaders(NUMBERS.load.apiKey);
		const total = 400;
		const ids = Array.from(
			{ length: total },
			(_, i) => `wamid.queue-crash-${String(i).padStart(4, '0')}`,
		);

		// Executions of the load workflow that did not succeed (running, crashed or error).
		const failedExecutions = async () => {
			const count = async (filter: object) =>
				(
					(await n8nRest(
						'GET',
						`executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=1`,
					)) as { count: number }
				).count;
			return (
				(await count({ workflowId: WORKFLOW_IDS.triggerLoad })) -
				(await count({ workflowId: WORKFLOW_IDS.triggerLoad, status: ['success'] }))
			);
		};
		const failedBefore = await failedExecutions();
		let killedAt = -1;
		const answers = await mapConcurrent(ids, 20, async (id, i) => {
			if (i === 100 && killedAt < 0) {
				killedAt = i;
				await control('POST', 'kill/worker-1');
			}
			return await post(url, headers, textBody('load', id, i));
		});
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		const captured = await capturedIds(tag, total, 300000, 5000);
		const missing = ids.filter((id) => !captured.includes(id));
		report('worker crash', {
			posts: total,
			captured: captured.length,
			lost: missing.length,
			duplicates: captured.length - new Set(captured).size,
		});

		// n8n 2.40.7 sets Bull's maxStalledCount to 0: a job whose worker died is not run again, and
		// its execution is later marked crashed. So at most the jobs worker-1 was running are lost
		// (its concurrency, 10 by default); everything else, including all posts after the kill, arrives.
		expect(captured.length - new Set(captured).size).toBe(0);
		expect(missing.length).toBeLessThanOrEqual(10);
		expect(missing.every((id) => ids.indexOf(id) < killedAt + 20)).toBe(true);
		// Each lost event belongs to an execution that never succeeded: n8n leaves it running until
		// main's queue recovery marks it crashed (N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL, 180 minutes by
		// default). The worker can also die after an execution's capture but before n8n recorded its
		// success, so there may be more such executions than lost events, but no more than it was running.
		const unfinished = (await failedExecutions()) - failedBefore;
		expect(unfinished).toBeGreaterThanOrEqual(missing.length);
		expect(unfinished).toBeLessThanOrEqual(10);
		await control('POST', 'start/worker-1');
	}, 900000);
});
