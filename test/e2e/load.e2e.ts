/**
 * Load and no loss: 2,000 distinct messages POSTed to the published trigger's URL (with its
 * registered secret header) at concurrency 50. No answer may be a 5xx, and the captured items must
 * account for every message sent, each exactly once.
 */
import {
	e2eState,
	executionCaptures,
	mapConcurrent,
	registeredHeaders,
	simulator,
	sleep,
} from './harness';
import { cloudTextMessage } from '../support/payloads';
import { E2E_SENDER, NUMBERS } from './fixtures';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS } from './workflows';

const TOTAL = Number(process.env.E2E_LOAD_TOTAL || 2000);
const CONCURRENCY = Number(process.env.E2E_LOAD_CONCURRENCY || 50);
const DRAIN_TIMEOUT_MS = Number(process.env.E2E_LOAD_DRAIN_TIMEOUT_MS || 900000);

function message(index: number) {
	const id = `wamid.e2e-load-${String(index).padStart(5, '0')}`;
	const customer = { ...E2E_SENDER, name: 'Load' };
	return {
		id,
		body: JSON.stringify(cloudTextMessage(id, `load message ${index}`, { number: NUMBERS.load, customer, timestamp: String(1750000000 + index) })),
	};
}

describe('load: 2,000 posts at concurrency 50 to the messaging trigger', () => {
	it(
		`answers ${TOTAL} posts without a 5xx and loses no event`,
		async () => {
			const sim = simulator();
			const tag = CAPTURE_TAGS.triggerLoad;
			await sim.clearCaptures(tag);
			const url = triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerLoad);
			const headers = {
				'content-type': 'application/json',
				...(await registeredHeaders(NUMBERS.load.apiKey)),
			};
			const messages = Array.from({ length: TOTAL }, (_, index) => message(index));

			const started = Date.now();
			const latencies: number[] = [];
			const statuses = await mapConcurrent(messages, CONCURRENCY, async ({ body }) => {
				const t = Date.now();
				try {
					const response = await fetch(url, { method: 'POST', headers, body });
					await response.arrayBuffer();
					return response.status;
				} catch {
					return 0; // no answer at all
				} finally {
					latencies.push(Date.now() - t);
				}
			});
			const postMs = Date.now() - started;

			const byStatus: Record<string, number> = {};
			for (const status of statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;

			// Drain: wait until the captures account for every message (or the timeout).
			let captured = 0;
			const deadline = Date.now() + DRAIN_TIMEOUT_MS;
			for (;;) {
				const executions = await executionCaptures(tag);
				captured = executions.reduce((sum, execution) => sum + execution.items.length, 0);
				if (captured >= TOTAL || Date.now() > deadline) break;
				await sleep(1000);
			}
			const drainMs = Date.now() - started;
			await sleep(1000);
			const executions = await executionCaptures(tag);
			const ids = executions.flatMap((execution) =>
				execution.items.map((item) => item.messageId as string),
			);

			latencies.sort((a, b) => a - b);
			const pct = (p: number) =>
				latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
			const report = {
				posts: TOTAL,
				concurrency: CONCURRENCY,
				statuses: byStatus,
				postPhaseSeconds: +(postMs / 1000).toFixed(1),
				postsPerSecond: +(TOTAL / (postMs / 1000)).toFixed(1),
				latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: latencies.at(-1) },
				capturedItems: ids.length,
				executions: executions.length,
				allCapturedAfterSeconds: +(drainMs / 1000).toFixed(1),
				eventsPerSecondEndToEnd: +(ids.length / (drainMs / 1000)).toFixed(1),
			};
			console.log(`e2e load report: ${JSON.stringify(report)}`);

			expect(statuses.filter((status) => status >= 500 || status === 0)).toEqual([]);
			expect(byStatus).toEqual({ 200: TOTAL });
			expect(ids.length).toBe(TOTAL);
			expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.id)));
		},
		20 * 60 * 1000,
	);
});
