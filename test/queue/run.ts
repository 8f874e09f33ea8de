/**
 * The queue-mode runner (`npm run test:queue`): this package in n8n's queue mode, against the
 * 360dialog simulator.
 *
 *  1. ensure the n8n host; npm run build; pack and install into one fresh user folder (all n8n
 *     processes of the run read it) (scripts/n8n-session.ts)
 *  2. PostgreSQL and Redis from Debian packages (installed when missing), on their own ports
 *  3. the simulator with the registrations of test/e2e/fixtures.ts
 *  4. import and publish test/e2e/workflows.ts into a fresh PostgreSQL database
 *  5. main, then two `n8n webhook` and two `n8n worker` processes, and the balancer in front of
 *     the webhook processes (test/queue/cluster.ts)
 *  6. jest -c jest.queue.config.js: the e2e suites (through the balancer) and test/queue/*.queue.ts
 *  7. stop everything by PID; remove the run folder (kept on failure or with E2E_KEEP=1)
 *
 * Extra arguments go to jest (e.g. `npm run test:queue -- -t restart`).
 * Env: QUEUE_PORT_BASE (5720: n8n ports base..base+19), QUEUE_POSTGRES_PORT (55432),
 *      QUEUE_REDIS_PORT (56379), E2E_SKIP_BUILD=1, E2E_KEEP=1, E2E_STARTUP_TIMEOUT_MS (300000).
 */
import { finishRunDir, N8nSession, runSuite, seconds, SetupError } from '../../scripts/n8n-session';
import { credentialsFor, E2E_ENCRYPTION_KEY, simulatorSeed } from '../e2e/fixtures';
import { allWorkflows } from '../e2e/workflows';
import { startSimulator, type Simulator } from '../simulator/simulator';
import { QueueCluster, queuePorts } from './cluster';

const started = Date.now();
const log = (message: string) => console.log(`[queue] ${message}`);
const config = {
	skipBuild: process.env.E2E_SKIP_BUILD === '1',
	keep: process.env.E2E_KEEP === '1',
	startupTimeoutMs: Number(process.env.E2E_STARTUP_TIMEOUT_MS || 300000),
};

async function main(): Promise<void> {
	const jestArgs = process.argv.slice(2);
	const ports = queuePorts();
	let runDir: string | undefined;
	let sim: Simulator | undefined;
	let cluster: QueueCluster | undefined;
	let counts: { passed: number; failed: number } | null = null;
	const timings: Record<string, string> = {};

	const cleanup = async () => {
		if (cluster) await cluster.stopAll();
		cluster = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};

	const success = await runSuite('queue', log, cleanup, async () => {
		const session = N8nSession.prepare({
			prefix: 'n8n-360dialog-queue-',
			build: !config.skipBuild,
			log,
			onRunDir: (dir) => (runDir = dir),
		});
		const queue = new QueueCluster({
			runDir: session.runDir,
			userFolder: session.userFolder,
			ports,
			workers: 2,
			startupTimeoutMs: config.startupTimeoutMs,
			log,
			env: { N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY, N8N_LOG_LEVEL: 'info' },
			// Debug for the e2e smoke test. (N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL=1 made main mark
			// 7 of 5,000 live executions crashed under load, so n8n's default stays.)
			mainEnv: { N8N_LOG_LEVEL: 'debug' },
		});
		cluster = queue;
		const busy = await queue.busyPort();
		if (busy) throw new SetupError(`port ${busy[1]} (${busy[0]}) on 127.0.0.1 is in use; set QUEUE_PORT_BASE or the service port`);

		let t = Date.now();
		await queue.startServices();
		timings.services = seconds(Date.now() - t);

		const simulator = await startSimulator({ port: 0, ...simulatorSeed(), delivery: { retries: 3, retryDelayMs: 200 } });
		sim = simulator;
		log(`simulator on ${simulator.url}`);

		const workflowList = allWorkflows({ n8nUrl: queue.balancerUrl, simUrl: simulator.url });
		t = Date.now();
		queue.importAndPublish(session.writeImports(credentialsFor(simulator.url), workflowList));
		timings.import = seconds(Date.now() - t);
		log(`imported and published ${workflowList.length} workflows into PostgreSQL (${timings.import})`);

		t = Date.now();
		await queue.startAll();
		timings.n8n = seconds(Date.now() - t);
		log(
			`main, ${ports.webhooks.length} webhook and 2 worker processes up (${timings.n8n}); ` +
				queue.slots.map((slot) => `${slot.name} pid ${slot.child?.pid} :${slot.host.port}`).join(', '),
		);

		t = Date.now();
		const jestRun = await session.runTests({
			stateName: 'queue-state.json',
			where: {
				n8nUrl: queue.balancerUrl,
				n8nPort: ports.balancer,
				brokerPort: ports.brokers.main,
				simUrl: simulator.url,
				n8nLogFile: queue.slot('main').logFile,
			},
			workflows: workflowList,
			extra: {
				queue: {
					controlUrl: queue.balancerUrl,
					webhookUrls: ports.webhooks.map((port) => `http://127.0.0.1:${port}`),
					logFiles: Object.fromEntries(queue.slots.map((slot) => [slot.name, slot.logFile])),
				},
			},
			jestConfig: 'jest.queue.config.js',
			args: jestArgs,
		});
		counts = jestRun.counts;
		timings.tests = seconds(Date.now() - t);
		const ok = jestRun.ok;
		if (!ok) {
			for (const slot of queue.slots) log(`last lines of ${slot.name} (${slot.logFile}):\n${queue.logTail(slot.name, 25)}`);
		}
		return ok;
	});
	finishRunDir(runDir, success, config.keep, log);

	const total = seconds(Date.now() - started);
	log(`timings: ${JSON.stringify({ ...timings, total })}`);
	console.log(success ? `QUEUE PASS: queue-mode suite green in ${total}` : `QUEUE FAIL after ${total}`);
	const final = counts as { passed: number; failed: number } | null;
	if (final) console.log(`queue: ${final.passed} passed, ${final.failed} failed`);
	process.exitCode = success ? 0 : 1;
}

void main();
