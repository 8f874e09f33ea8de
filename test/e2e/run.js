#!/usr/bin/env node
'use strict';
/**
 * The e2e runner (`npm run test:e2e`): this package inside a real n8n, against the 360dialog
 * simulator.
 *
 *  1. ensure the n8n host (Node 24 + n8n from scripts/n8n-host.json, cached; see scripts/n8n-host.sh)
 *  2. npm run build, npm pack, and install the tarball into a fresh N8N_USER_FOLDER the way n8n does
 *  3. start the simulator (in this process) with the registrations of test/e2e/fixtures.ts
 *  4. n8n import:credentials, import:workflow (test/e2e/workflows.ts), publish:workflow for each
 *  5. n8n start; wait for /healthz and for startup (workflow activation) to finish
 *  6. jest -c jest.e2e.config.js --runInBand (test/e2e/**\/*.e2e.ts), with E2E_STATE_FILE set
 *  7. stop n8n and the simulator, remove the run folder (kept on failure or with E2E_KEEP=1)
 *
 * Extra arguments go to jest (e.g. `npm run test:e2e -- -t smoke`).
 * Env: E2E_N8N_PORT (5688), E2E_BROKER_PORT (5689), E2E_SIM_PORT (0 = any free port),
 *      E2E_SKIP_BUILD=1, E2E_KEEP=1, E2E_STARTUP_TIMEOUT_MS (180000), E2E_PUBLICATION_SERVICE=1,
 *      N8N_HOST_VERSION (another n8n of scripts/n8n-host.json; npm run test:compat sets it),
 *      E2E_WORKFLOWS (comma-separated keys of WORKFLOW_IDS in workflows.ts: import only those).
 */
const fs = require('node:fs');
const path = require('node:path');
// The n8n-host lifecycle this runner shares with the benchmark.
const n8nProcess = require('../../scripts/n8n-process.js');
const { REPO, SetupError, seconds, tail } = n8nProcess;

const started = Date.now();

const config = {
	n8nPort: Number(process.env.E2E_N8N_PORT || 5688),
	brokerPort: Number(process.env.E2E_BROKER_PORT || 5689),
	simPort: Number(process.env.E2E_SIM_PORT || 0),
	skipBuild: process.env.E2E_SKIP_BUILD === '1',
	keep: process.env.E2E_KEEP === '1',
	startupTimeoutMs: Number(process.env.E2E_STARTUP_TIMEOUT_MS || 180000),
	// n8n 2.x activates published workflows through an asynchronous publication service by default.
	// The e2e run switches to activation during startup so "started" means "webhooks registered".
	publicationService: process.env.E2E_PUBLICATION_SERVICE === '1',
	// Importing and publishing takes one n8n CLI start per workflow: a run of a few test files
	// (npm run test:compat) imports only the workflows they use.
	workflowKeys: process.env.E2E_WORKFLOWS ? process.env.E2E_WORKFLOWS.split(',') : null,
};

// fixtures.ts and workflows.ts are shared with the jest tests; transpiled on require.
n8nProcess.registerTypeScript();
const fixtures = require('./fixtures.ts');
const workflows = require('./workflows.ts');
const { startSimulator } = require('../simulator/simulator.ts');

// ------------------------------------------------------------------ n8n

const log = (message) => console.log(`[e2e] ${message}`);

/** Environment for every n8n command of this run (on top of scripts/n8n-host.sh's defaults). */
function n8nEnv() {
	return {
		N8N_ENCRYPTION_KEY: fixtures.E2E_ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'debug',
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: config.publicationService ? 'true' : 'false',
		N8N_WEBHOOK_URL: `http://localhost:${config.n8nPort}/`,
	};
}

/** Every workflow, or those E2E_WORKFLOWS names. */
function selectWorkflows(all) {
	if (!config.workflowKeys) return all;
	const ids = config.workflowKeys.map((key) => {
		const id = workflows.WORKFLOW_IDS[key.trim()];
		if (!id)
			throw new SetupError(`E2E_WORKFLOWS: no workflow "${key}" in WORKFLOW_IDS (workflows.ts)`);
		return id;
	});
	return all.filter((wf) => ids.includes(wf.id));
}

// ------------------------------------------------------------------ main

async function main() {
	const jestArgs = process.argv.slice(2);
	let runDir;
	let sim;
	let n8n;
	let success = false;
	let counts = null;

	const cleanup = async () => {
		await n8nProcess.stopN8n(n8n, log);
		n8n = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};
	n8nProcess.stopOnSignal(log, cleanup);

	try {
		const busy = await n8nProcess.firstBusyPort([
			['E2E_N8N_PORT', config.n8nPort],
			['E2E_BROKER_PORT', config.brokerPort],
		]);
		if (busy) {
			throw new SetupError(`port ${busy[1]} on 127.0.0.1 is in use (another n8n?); set ${busy[0]}`);
		}

		let t = Date.now();
		log('ensuring the n8n host (scripts/n8n-host.sh ensure)');
		const hostPaths = n8nProcess.ensureHost();
		log(
			`n8n ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION} ready (${seconds(Date.now() - t)})`,
		);

		if (!config.skipBuild) {
			t = Date.now();
			log('npm run build');
			n8nProcess.buildPackage();
			log(`built (${seconds(Date.now() - t)})`);
		}

		const folders = n8nProcess.createRunFolder('n8n-360dialog-e2e-');
		runDir = folders.runDir;
		const { userFolder } = folders;
		const logFile = path.join(runDir, 'n8n.log');
		const host = {
			userFolder,
			port: config.n8nPort,
			brokerPort: config.brokerPort,
			n8nVersion: hostPaths.N8N_VERSION,
		};
		log(`run folder ${runDir}`);

		t = Date.now();
		const { packageDir, pkg: installedPkg } = n8nProcess.packAndInstall(runDir, userFolder);
		log(
			`packed and installed ${installedPkg.name}@${installedPkg.version} (${seconds(Date.now() - t)})`,
		);

		sim = await startSimulator({
			port: config.simPort,
			...fixtures.simulatorSeed(),
			delivery: { retries: 3, retryDelayMs: 200 },
		});
		log(`simulator on ${sim.url}`);

		const n8nUrl = `http://localhost:${config.n8nPort}`;
		const ctx = { n8nUrl, simUrl: sim.url };
		const workflowList = selectWorkflows(workflows.allWorkflows(ctx));
		const credentialsFile = path.join(runDir, 'credentials.json');
		const workflowsFile = path.join(runDir, 'workflows.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(fixtures.credentialsFor(sim.url), null, 2));
		fs.writeFileSync(workflowsFile, JSON.stringify(workflowList, null, 2));

		t = Date.now();
		n8nProcess.importAndPublish(host, n8nEnv(), {
			credentialsFile,
			workflowsFile,
			workflowIds: workflowList.map((wf) => wf.id),
		});
		log(
			`imported ${fixtures.credentialsFor(sim.url).length} credentials and ${workflowList.length} workflow(s), published them (${seconds(Date.now() - t)})`,
		);

		t = Date.now();
		n8n = n8nProcess.startN8n(host, n8nEnv(), logFile);
		await n8nProcess.waitForN8n(n8n, n8nUrl, logFile, config.startupTimeoutMs);
		log(`n8n started on ${n8nUrl} (${seconds(Date.now() - t)}); log: ${logFile}`);

		const stateFile = path.join(runDir, 'e2e-state.json');
		const state = {
			n8nUrl,
			n8nPort: config.n8nPort,
			brokerPort: config.brokerPort,
			n8nVersion: hostPaths.N8N_VERSION,
			simUrl: sim.url,
			userFolder,
			packageDir,
			packageName: installedPkg.name,
			packageVersion: installedPkg.version,
			n8nLogFile: logFile,
			runDir,
			workflows: workflowList.map(({ id, name }) => ({ id, name })),
		};
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));

		t = Date.now();
		const jestRun = await n8nProcess.runJest({
			config: path.join(REPO, 'jest.e2e.config.js'),
			stateFile,
			resultsFile: path.join(runDir, 'jest-results.json'),
			args: jestArgs,
		});
		const jestCode = jestRun.code;
		counts = jestRun.counts;
		log(`jest finished with code ${jestCode} (${seconds(Date.now() - t)})`);
		success = jestCode === 0 && counts !== null && counts.passed > 0;
		if (!success) log(`last lines of the n8n log (${logFile}):\n${tail(logFile, 40)}`);
	} catch (error) {
		console.error(
			`[e2e] setup failed: ${error instanceof SetupError ? error.message : error.stack}`,
		);
	} finally {
		await cleanup();
		if (runDir) {
			if (success && !config.keep) fs.rmSync(runDir, { recursive: true, force: true });
			else log(`kept the run folder for inspection: ${runDir}`);
		}
	}

	const total = seconds(Date.now() - started);
	if (success) {
		console.log(`E2E PASS: n8n e2e suite green in ${total}`);
	} else {
		const why = !counts
			? 'the suite did not run to the end'
			: counts.failed > 0
				? 'tests failed'
				: 'no test ran';
		console.log(`E2E FAIL: ${why} after ${total}`);
	}
	if (counts) console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed`);
	process.exitCode = success ? 0 : 1;
}

main();
