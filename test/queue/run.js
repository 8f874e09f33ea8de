#!/usr/bin/env node
'use strict';
/**
 * The queue-mode runner (`npm run test:queue`): this package in n8n's queue mode, against the
 * 360dialog simulator.
 *
 *  1. ensure the n8n host; npm run build; pack and install into one fresh user folder (all n8n
 *     processes of the run read it)
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
const fs = require('node:fs');
const path = require('node:path');
const n8nProcess = require('../../scripts/n8n-process.js');
const { REPO, SetupError, seconds } = n8nProcess;

n8nProcess.registerTypeScript();
const fixtures = require('../e2e/fixtures.ts');
const workflows = require('../e2e/workflows.ts');
const { QueueCluster, queuePorts } = require('./cluster.ts');
const { startSimulator } = require('../simulator/simulator.ts');

const started = Date.now();
const log = (message) => console.log(`[queue] ${message}`);
const config = {
	skipBuild: process.env.E2E_SKIP_BUILD === '1',
	keep: process.env.E2E_KEEP === '1',
	startupTimeoutMs: Number(process.env.E2E_STARTUP_TIMEOUT_MS || 300000),
};

async function main() {
	const jestArgs = process.argv.slice(2);
	const ports = queuePorts();
	let runDir;
	let sim;
	let cluster;
	let success = false;
	let counts = null;
	const timings = {};

	const cleanup = async () => {
		if (cluster) await cluster.stopAll();
		cluster = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};
	n8nProcess.stopOnSignal(log, cleanup);

	try {
		let t = Date.now();
		const hostPaths = n8nProcess.ensureHost();
		log(`n8n ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION} ready (${seconds(Date.now() - t)})`);
		if (!config.skipBuild) {
			t = Date.now();
			n8nProcess.buildPackage();
			log(`built (${seconds(Date.now() - t)})`);
		}

		const folders = n8nProcess.createRunFolder('n8n-360dialog-queue-');
		runDir = folders.runDir;
		const { userFolder } = folders;
		log(`run folder ${runDir}`);
		t = Date.now();
		const { packageDir, pkg } = n8nProcess.packAndInstall(runDir, userFolder);
		log(`packed and installed ${pkg.name}@${pkg.version} into the shared user folder (${seconds(Date.now() - t)})`);

		cluster = new QueueCluster({
			runDir,
			userFolder,
			ports,
			workers: 2,
			startupTimeoutMs: config.startupTimeoutMs,
			log,
			env: { N8N_ENCRYPTION_KEY: fixtures.E2E_ENCRYPTION_KEY, N8N_LOG_LEVEL: 'info' },
			// Debug for the e2e smoke test. (N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL=1 made main mark
			// 7 of 5,000 live executions crashed under load, so n8n's default stays.)
			mainEnv: { N8N_LOG_LEVEL: 'debug' },
		});
		const busy = await cluster.busyPort();
		if (busy) throw new SetupError(`port ${busy[1]} (${busy[0]}) on 127.0.0.1 is in use; set QUEUE_PORT_BASE or the service port`);

		t = Date.now();
		await cluster.startServices();
		timings.services = seconds(Date.now() - t);

		sim = await startSimulator({ port: 0, ...fixtures.simulatorSeed(), delivery: { retries: 3, retryDelayMs: 200 } });
		log(`simulator on ${sim.url}`);

		const ctx = { n8nUrl: cluster.balancerUrl, simUrl: sim.url };
		const workflowList = workflows.allWorkflows(ctx);
		const credentialsFile = path.join(runDir, 'credentials.json');
		const workflowsFile = path.join(runDir, 'workflows.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(fixtures.credentialsFor(sim.url), null, 2));
		fs.writeFileSync(workflowsFile, JSON.stringify(workflowList, null, 2));
		t = Date.now();
		cluster.importAndPublish({ credentialsFile, workflowsFile, workflowIds: workflowList.map((wf) => wf.id) });
		timings.import = seconds(Date.now() - t);
		log(`imported and published ${workflowList.length} workflows into PostgreSQL (${timings.import})`);

		t = Date.now();
		await cluster.startAll();
		timings.n8n = seconds(Date.now() - t);
		log(
			`main, ${ports.webhooks.length} webhook and 2 worker processes up (${timings.n8n}); ` +
				cluster.slots.map((slot) => `${slot.name} pid ${slot.child.pid} :${slot.host.port}`).join(', '),
		);

		const stateFile = path.join(runDir, 'queue-state.json');
		fs.writeFileSync(
			stateFile,
			JSON.stringify(
				{
					n8nUrl: cluster.balancerUrl,
					n8nPort: ports.balancer,
					brokerPort: ports.brokers.main,
					n8nVersion: hostPaths.N8N_VERSION,
					simUrl: sim.url,
					userFolder,
					packageDir,
					packageName: pkg.name,
					packageVersion: pkg.version,
					n8nLogFile: cluster.slot('main').logFile,
					runDir,
					workflows: workflowList.map(({ id, name }) => ({ id, name })),
					queue: {
						controlUrl: cluster.balancerUrl,
						webhookUrls: ports.webhooks.map((port) => `http://127.0.0.1:${port}`),
						logFiles: Object.fromEntries(cluster.slots.map((slot) => [slot.name, slot.logFile])),
					},
				},
				null,
				2,
			),
		);

		t = Date.now();
		const jestRun = await n8nProcess.runJest({
			config: path.join(REPO, 'jest.queue.config.js'),
			stateFile,
			resultsFile: path.join(runDir, 'jest-results.json'),
			args: jestArgs,
		});
		counts = jestRun.counts;
		timings.tests = seconds(Date.now() - t);
		success = jestRun.code === 0 && counts !== null && counts.passed > 0;
		if (!success) {
			for (const slot of cluster.slots) log(`last lines of ${slot.name} (${slot.logFile}):\n${cluster.logTail(slot.name, 25)}`);
		}
	} catch (error) {
		console.error(`[queue] setup failed: ${error instanceof SetupError ? error.message : error.stack}`);
	} finally {
		await cleanup();
		if (runDir) {
			if (success && !config.keep) fs.rmSync(runDir, { recursive: true, force: true });
			else log(`kept the run folder for inspection: ${runDir}`);
		}
	}

	const total = seconds(Date.now() - started);
	log(`timings: ${JSON.stringify({ ...timings, total })}`);
	console.log(success ? `QUEUE PASS: queue-mode suite green in ${total}` : `QUEUE FAIL after ${total}`);
	if (counts) console.log(`queue: ${counts.passed} passed, ${counts.failed} failed`);
	process.exitCode = success ? 0 : 1;
}

main();
