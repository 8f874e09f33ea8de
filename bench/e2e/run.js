#!/usr/bin/env node
'use strict';
/**
 * End-to-end benchmark (`npm run bench:e2e`): this package inside ONE real n8n, measured against
 * n8n's own nodes in the same run. See bench/e2e/README.md for what each figure means.
 *
 *   trigger vN / Webhook node   executions/s of the 360dialog Trigger (version 1 and 2) vs n8n's bare
 *                               Webhook node, same corpus message payloads; target >= 0.95x
 *   filtered vN / 401 vN        status payloads the trigger filters out (200, no execution) vs the
 *                               same requests rejected with 401 (n8n's floor); target >= 0.95x
 *   P4                          360dialog Normalize vs a hand-written Code node on 10,000 stored
 *                               payloads in one execution; target >= 3x
 *
 * One pass of rounds per n8n setting (engines.js: default, lazy, legacy), restarting the same n8n.
 * Steps: ensure the n8n host (scripts/n8n-host.sh), npm run build (unless BENCH_SKIP_BUILD=1 or
 * --no-build), npm pack + install into a fresh user folder, start the 360dialog simulator in this
 * process, import credentials/workflows, publish, then per setting start n8n and measure (pass.js),
 * P4 in the last pass (p4.js), print (report.js), stop everything and delete the run folder (kept
 * with BENCH_KEEP=1 or on failure).
 *
 * Env: BENCH_N8N_PORT (5698), BENCH_BROKER_PORT (5699), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
 *      BENCH_ENGINES (default,lazy,legacy), BENCH_CONCURRENCY (8), BENCH_ROUNDS (5),
 *      BENCH_PHASE_SECONDS (4), BENCH_REQUESTS (24) and BENCH_FILTERED_REQUESTS (40) minimum requests
 *      per phase, BENCH_WARMUP (24), BENCH_P4_ITEMS (10000), BENCH_P4_RUNS (2, 0 = no P4),
 *      BENCH_STARTUP_TIMEOUT_MS (180000), DIALOG360_CORPUS, N8N_HOST_VERSION.
 */
const fs = require('node:fs');
const path = require('node:path');
// The n8n session this runner shares with the e2e and queue runners (run with scripts/register-ts.js).
const n8nProcess = require('../../scripts/n8n-session.ts');
const { N8nSession, REPO, SetupError, seconds, tail } = n8nProcess;
const { startSimulator } = require('../../test/simulator/simulator.ts');

const { loadCorpus } = require('./corpus.js');
const { ENGINES, engineNames } = require('./engines.js');
const { agent } = require('./http.js');
const { resetSession } = require('./n8n-rest.js');
const { runP4 } = require('./p4.js');
const { measurePass } = require('./pass.js');
const { printReport } = require('./report.js');
const { NUMBERS, buildWorkflows, credentials } = require('./workflows.js');

const started = Date.now();
const args = process.argv.slice(2);

const int = (name, fallback) => {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0`);
	return value;
};
const config = {
	n8nPort: int('BENCH_N8N_PORT', 5698),
	brokerPort: int('BENCH_BROKER_PORT', 5699),
	skipBuild: process.env.BENCH_SKIP_BUILD === '1' || args.includes('--no-build'),
	keep: process.env.BENCH_KEEP === '1',
	concurrency: int('BENCH_CONCURRENCY', 8),
	rounds: int('BENCH_ROUNDS', 5),
	requests: int('BENCH_REQUESTS', 24),
	filteredRequests: int('BENCH_FILTERED_REQUESTS', 40),
	warmup: int('BENCH_WARMUP', 24),
	phaseSeconds: Number(process.env.BENCH_PHASE_SECONDS || 4),
	p4Items: int('BENCH_P4_ITEMS', 10000),
	p4Runs: int('BENCH_P4_RUNS', 2),
	startupTimeoutMs: int('BENCH_STARTUP_TIMEOUT_MS', 180000),
	engines: engineNames(process.env.BENCH_ENGINES || 'default,lazy,legacy'),
	corpus: process.env.DIALOG360_CORPUS || path.resolve(REPO, '..', 'shared', 'corpus'),
};

const log = (message) => console.log(`[bench:e2e] ${message}`);

/** Environment of every n8n command; `n8n start` adds the setting's own (engines.js). */
const n8nEnv = () => ({
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false', // activate (and register) during startup
	N8N_WEBHOOK_URL: `http://localhost:${config.n8nPort}/`,
});

async function main() {
	let runDir;
	let sim;
	let n8n;
	let success = false;

	const cleanup = async () => {
		await n8nProcess.stopN8n(n8n, log);
		n8n = undefined;
		if (sim) await sim.close();
		sim = undefined;
		agent.destroy();
	};
	n8nProcess.stopOnSignal(log, cleanup);

	let logFile;
	try {
		const busy = await n8nProcess.firstBusyPort([
			['BENCH_N8N_PORT', config.n8nPort],
			['BENCH_BROKER_PORT', config.brokerPort],
		]);
		if (busy) throw new SetupError(`port ${busy[1]} is in use; set ${busy[0]}`);

		const corpus = loadCorpus(config.corpus);
		log(
			`corpus ${config.corpus}: ${corpus.counts.messages} message payloads, ${corpus.counts.statuses} status payloads, ${corpus.counts.flat} for P4`,
		);

		const session = N8nSession.prepare({
			prefix: 'n8n-360dialog-bench-',
			build: !config.skipBuild,
			log,
			onRunDir: (dir) => (runDir = dir),
		});
		const hostPaths = session.hostPaths;
		const pkg = session.pkg;
		const host = session.host(config.n8nPort, config.brokerPort);
		let t;

		sim = await startSimulator({ port: 0, numbers: Object.values(NUMBERS), partners: [] });
		const n8nUrl = `http://localhost:${config.n8nPort}`;
		const workflowList = buildWorkflows(corpus.flat, config.p4Items);
		t = Date.now();
		n8nProcess.importAndPublish(host, n8nEnv(), session.writeImports(credentials(sim.url), workflowList));
		log(`imported and published ${workflowList.length} workflows (${seconds(Date.now() - t)})`);

		const bodies = {
			messages: corpus.messages.map((b) => Buffer.from(JSON.stringify(b))),
			statuses: corpus.statuses.map((b) => Buffer.from(JSON.stringify(b))),
		};
		const finished = {};
		const passes = [];
		let p4 = null;
		for (const [index, engine] of config.engines.entries()) {
			if (index > 0) await n8nProcess.stopN8n(n8n, log);
			const label = ENGINES[engine].label;
			t = Date.now();
			logFile = path.join(runDir, `n8n-${engine}.log`);
			n8n = n8nProcess.startN8n(host, { ...n8nEnv(), ...ENGINES[engine].env }, logFile);
			resetSession();
			await n8nProcess.waitForN8n(n8n, n8nUrl, logFile, config.startupTimeoutMs);
			log(`n8n started on ${n8nUrl}, ${label} (${seconds(Date.now() - t)})`);
			const pass = await measurePass({ config, n8nUrl, sim, bodies, finished, log, label });
			passes.push({ engine, ...pass });
			if (index === config.engines.length - 1 && config.p4Runs > 0) {
				p4 = await runP4({ config, n8nUrl, n8nBin: hostPaths.N8N_BIN, log });
			}
		}

		const logText = fs.readFileSync(logFile, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
		const runnerSeen = /Registered runner "JS Task Runner"/.test(logText);
		printReport({ passes, p4, config, hostPaths, pkg, corpus, runnerSeen });
		success = true;
	} catch (error) {
		console.error(
			`[bench:e2e] failed: ${error instanceof SetupError ? error.message : error.stack}`,
		);
		if (logFile) console.error(`last lines of the n8n log:\n${tail(logFile, 30)}`);
	} finally {
		await cleanup();
		if (runDir) {
			if (success && !config.keep) fs.rmSync(runDir, { recursive: true, force: true });
			else log(`kept the run folder: ${runDir}`);
		}
	}
	log(`${success ? 'done' : 'FAILED'} in ${seconds(Date.now() - started)}`);
	process.exitCode = success ? 0 : 1;
}

main();
