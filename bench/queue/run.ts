/**
 * Queue-mode benchmark (`npm run bench:queue`): executions per second end to end with one worker
 * and with two, in the same run, and their ratio (how the package scales with workers).
 *
 * The cluster is test:queue's (test/queue/cluster.ts): PostgreSQL + Redis, main, two webhook
 * processes behind the round-robin balancer, two workers. The workflow is the e2e load workflow:
 * 360dialog Trigger (defaults: generated secret, Skip Duplicate Deliveries on, so every run checks
 * n8n's processed-data table) -> Aggregate -> HTTP capture to the simulator. One round posts
 * BENCH_QUEUE_REQUESTS distinct messages at BENCH_QUEUE_CONCURRENCY through the balancer and ends
 * when the simulator has captured every one; "end to end" is from the first post to the last capture.
 * Rounds alternate 1 worker (worker-2 stopped gracefully) and 2 workers; medians are compared.
 *
 * Env: BENCH_SKIP_BUILD=1, BENCH_KEEP=1, BENCH_QUEUE_REQUESTS (300), BENCH_QUEUE_CONCURRENCY (40),
 *      BENCH_QUEUE_ROUNDS (3 per side), BENCH_QUEUE_WORKER_CONCURRENCY (n8n's default 10),
 *      QUEUE_PORT_BASE, QUEUE_POSTGRES_PORT, QUEUE_REDIS_PORT (as test:queue).
 */
import { finishRunDir, N8nSession, runSuite, seconds, SetupError, sleep } from '../../scripts/n8n-session';
import { credentialsFor, E2E_ENCRYPTION_KEY, NUMBERS, simulatorSeed } from '../../test/e2e/fixtures';
import { mapConcurrent } from '../../test/e2e/harness';
import { CAPTURE_TAGS, messagingTriggerWorkflows, triggerWebhookUrl, WEBHOOK_IDS, WORKFLOW_IDS } from '../../test/e2e/workflows';
import { QueueCluster, queuePorts } from '../../test/queue/cluster';
import { startSimulator, type Simulator } from '../../test/simulator/simulator';
import { cloudMessages, textMessage } from '../../test/support/payloads';

const log = (message: string) => console.log(`[bench:queue] ${message}`);
const int = (name: string, fallback: number) => Number(process.env[name] || fallback);
const config = {
	skipBuild: process.env.BENCH_SKIP_BUILD === '1' || process.argv.includes('--no-build'),
	keep: process.env.BENCH_KEEP === '1',
	requests: int('BENCH_QUEUE_REQUESTS', 300),
	concurrency: int('BENCH_QUEUE_CONCURRENCY', 40),
	rounds: int('BENCH_QUEUE_ROUNDS', 3),
	workerConcurrency: process.env.BENCH_QUEUE_WORKER_CONCURRENCY,
};
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function messageBody(id: string, index: number): string {
	const message = textMessage(id, id, '16505551234', String(1770000000 + index));
	return JSON.stringify(cloudMessages({ messages: [message] }, NUMBERS.load, null));
}

/** One round: post `requests` new messages, wait until all are captured; executions/s end to end. */
async function round(sim: Simulator, url: string, headers: Record<string, string>, label: string): Promise<number> {
	const tag = CAPTURE_TAGS.triggerLoad;
	sim.clearCaptures(tag);
	const ids = Array.from({ length: config.requests }, (_, i) => `wamid.bench-queue-${label}-${i}`);
	const started = Date.now();
	const statuses = await mapConcurrent(ids, config.concurrency, async (id, i) => {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: messageBody(id, i) });
		await response.arrayBuffer();
		return response.status;
	});
	if (statuses.some((status) => status !== 200)) throw new SetupError(`round ${label}: answers ${JSON.stringify(statuses.filter((s) => s !== 200).slice(0, 5))}`);
	const deadline = Date.now() + 600000;
	for (;;) {
		const captured = sim.captures(tag).reduce((n, capture) => n + (capture.body as { items: unknown[] }).items.length, 0);
		if (captured >= config.requests) break;
		if (Date.now() > deadline) throw new SetupError(`round ${label}: ${captured} of ${config.requests} captured after 10 min`);
		await sleep(100);
	}
	const elapsed = (Date.now() - started) / 1000;
	return config.requests / elapsed;
}

async function main(): Promise<void> {
	const started = Date.now();
	let runDir: string | undefined;
	let sim: Simulator | undefined;
	let cluster: QueueCluster | undefined;
	const cleanup = async () => {
		if (cluster) await cluster.stopAll();
		cluster = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};
	const ok = await runSuite('bench:queue', log, cleanup, async () => {
		const session = N8nSession.prepare({
			prefix: 'n8n-360dialog-bench-queue-',
			build: !config.skipBuild,
			log,
			onRunDir: (dir) => (runDir = dir),
		});
		const ports = queuePorts();
		const queue = new QueueCluster({
			runDir: session.runDir,
			userFolder: session.userFolder,
			ports,
			workers: 2,
			startupTimeoutMs: 300000,
			log,
			database: 'n8n_bench_queue',
			env: {
				N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
				// info, not warn: readiness is read from main's "activated" log line.
				N8N_LOG_LEVEL: 'info',
				...(config.workerConcurrency ? { N8N_CONCURRENCY_PRODUCTION_LIMIT: config.workerConcurrency } : {}),
			},
		});
		cluster = queue;
		const busy = await queue.busyPort();
		if (busy) throw new SetupError(`port ${busy[1]} (${busy[0]}) on 127.0.0.1 is in use`);
		await queue.startServices();
		const simulator = await startSimulator({ port: 0, ...simulatorSeed() });
		sim = simulator;
		const list = messagingTriggerWorkflows({ n8nUrl: queue.balancerUrl, simUrl: simulator.url }).filter(
			(wf) => wf.id === WORKFLOW_IDS.triggerLoad,
		);
		queue.importAndPublish(session.writeImports(credentialsFor(simulator.url), list));
		await queue.startAll();
		log(`n8n ${session.n8nVersion} in queue mode with ${session.pkg.name}@${session.pkg.version}: main, 2 webhook processes, 2 workers`);

		const url = triggerWebhookUrl(queue.balancerUrl, WEBHOOK_IDS.triggerLoad);
		const registered = simulator.number(NUMBERS.load.apiKey);
		if (!registered) throw new SetupError(`no number ${NUMBERS.load.apiKey} on the simulator`);
		const headers = registered.webhook.headers;
		log(`warm-up (${config.requests} posts, 2 workers)`);
		await round(simulator, url, headers, 'warmup');

		const rates: Record<1 | 2, number[]> = { 1: [], 2: [] };
		for (let r = 0; r < config.rounds; r++) {
			for (const workers of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
				if (workers === 1) await queue.stopProcess('worker-2');
				else await queue.startProcess('worker-2');
				const rate = await round(simulator, url, headers, `r${r}w${workers}`);
				rates[workers].push(rate);
				log(`round ${r + 1}, ${workers} worker(s): ${rate.toFixed(1)} executions/s end to end`);
			}
		}
		const one = median(rates[1]);
		const two = median(rates[2]);
		console.log('');
		console.log('| queue mode (main + 2 webhook processes), executions/s end to end | median | rounds |');
		console.log('| --- | --- | --- |');
		console.log(`| 1 worker | ${one.toFixed(1)} | ${rates[1].map((v) => v.toFixed(1)).join(', ')} |`);
		console.log(`| 2 workers | ${two.toFixed(1)} | ${rates[2].map((v) => v.toFixed(1)).join(', ')} |`);
		console.log(`| **scaling ratio 2 ÷ 1 workers** | **${(two / one).toFixed(2)}×** | |`);
		console.log('');
		log(`${config.requests} posts per round at concurrency ${config.concurrency}; worker concurrency ${config.workerConcurrency ?? "n8n's default (10)"}`);
		return true;
	});
	finishRunDir(runDir, ok, config.keep, log);
	log(`done in ${seconds(Date.now() - started)}`);
	process.exitCode = ok ? 0 : 1;
}

void main();
