#!/usr/bin/env node
'use strict';
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
const fs = require('node:fs');
const path = require('node:path');
const n8nProcess = require('../../scripts/n8n-process.js');
const { SetupError, seconds, sleep } = n8nProcess;

n8nProcess.registerTypeScript();
const fixtures = require('../../test/e2e/fixtures.ts');
const workflows = require('../../test/e2e/workflows.ts');
const { mapConcurrent } = require('../../test/e2e/harness.ts');
const { QueueCluster, queuePorts } = require('../../test/queue/cluster.ts');
const { startSimulator } = require('../../test/simulator/simulator.ts');

const log = (message) => console.log(`[bench:queue] ${message}`);
const int = (name, fallback) => Number(process.env[name] || fallback);
const config = {
	skipBuild: process.env.BENCH_SKIP_BUILD === '1' || process.argv.includes('--no-build'),
	keep: process.env.BENCH_KEEP === '1',
	requests: int('BENCH_QUEUE_REQUESTS', 300),
	concurrency: int('BENCH_QUEUE_CONCURRENCY', 40),
	rounds: int('BENCH_QUEUE_ROUNDS', 3),
	workerConcurrency: process.env.BENCH_QUEUE_WORKER_CONCURRENCY,
};
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function messageBody(id, index) {
	const number = fixtures.NUMBERS.load;
	return JSON.stringify({
		object: 'whatsapp_business_account',
		entry: [
			{
				id: number.wabaId,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
							messages: [{ from: '16505551234', id, timestamp: String(1770000000 + index), type: 'text', text: { body: id } }],
						},
					},
				],
			},
		],
	});
}

/** One round: post `requests` new messages, wait until all are captured; executions/s end to end. */
async function round(sim, url, headers, label) {
	const tag = workflows.CAPTURE_TAGS.triggerLoad;
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
		const captured = sim.captures(tag).reduce((n, capture) => n + capture.body.items.length, 0);
		if (captured >= config.requests) break;
		if (Date.now() > deadline) throw new SetupError(`round ${label}: ${captured} of ${config.requests} captured after 10 min`);
		await sleep(100);
	}
	const elapsed = (Date.now() - started) / 1000;
	return config.requests / elapsed;
}

async function main() {
	const started = Date.now();
	let runDir;
	let sim;
	let cluster;
	let ok = false;
	const cleanup = async () => {
		if (cluster) await cluster.stopAll();
		cluster = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};
	n8nProcess.stopOnSignal(log, cleanup);
	try {
		const hostPaths = n8nProcess.ensureHost();
		if (!config.skipBuild) n8nProcess.buildPackage();
		const folders = n8nProcess.createRunFolder('n8n-360dialog-bench-queue-');
		runDir = folders.runDir;
		const { pkg } = n8nProcess.packAndInstall(runDir, folders.userFolder);
		const ports = queuePorts();
		cluster = new QueueCluster({
			runDir,
			userFolder: folders.userFolder,
			ports,
			workers: 2,
			startupTimeoutMs: 300000,
			log,
			database: 'n8n_bench_queue',
			env: {
				N8N_ENCRYPTION_KEY: fixtures.E2E_ENCRYPTION_KEY,
				N8N_LOG_LEVEL: 'warn',
				...(config.workerConcurrency ? { N8N_CONCURRENCY_PRODUCTION_LIMIT: config.workerConcurrency } : {}),
			},
		});
		const busy = await cluster.busyPort();
		if (busy) throw new SetupError(`port ${busy[1]} (${busy[0]}) on 127.0.0.1 is in use`);
		await cluster.startServices();
		sim = await startSimulator({ port: 0, ...fixtures.simulatorSeed() });
		const ctx = { n8nUrl: cluster.balancerUrl, simUrl: sim.url };
		const list = workflows.messagingTriggerWorkflows(ctx).filter((wf) => wf.id === workflows.WORKFLOW_IDS.triggerLoad);
		const credentialsFile = path.join(runDir, 'credentials.json');
		const workflowsFile = path.join(runDir, 'workflows.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(fixtures.credentialsFor(sim.url)));
		fs.writeFileSync(workflowsFile, JSON.stringify(list));
		cluster.importAndPublish({ credentialsFile, workflowsFile, workflowIds: list.map((wf) => wf.id) });
		await cluster.startAll();
		log(`n8n ${hostPaths.N8N_VERSION} in queue mode with ${pkg.name}@${pkg.version}: main, 2 webhook processes, 2 workers`);

		const url = workflows.triggerWebhookUrl(cluster.balancerUrl, workflows.WEBHOOK_IDS.triggerLoad);
		const headers = sim.number(fixtures.NUMBERS.load.apiKey).webhook.headers;
		log(`warm-up (${config.requests} posts, 2 workers)`);
		await round(sim, url, headers, 'warmup');

		const rates = { 1: [], 2: [] };
		for (let r = 0; r < config.rounds; r++) {
			for (const workers of r % 2 === 0 ? [1, 2] : [2, 1]) {
				if (workers === 1) await cluster.stopProcess('worker-2');
				else await cluster.startProcess('worker-2');
				const rate = await round(sim, url, headers, `r${r}w${workers}`);
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
		ok = true;
	} catch (error) {
		console.error(`[bench:queue] failed: ${error instanceof SetupError ? error.message : error.stack}`);
	} finally {
		await cleanup();
		if (runDir) {
			if (ok && !config.keep) fs.rmSync(runDir, { recursive: true, force: true });
			else log(`kept the run folder: ${runDir}`);
		}
		log(`done in ${seconds(Date.now() - started)}`);
	}
	process.exitCode = ok ? 0 : 1;
}

main();
