#!/usr/bin/env node
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
 * One pass of rounds per n8n setting (engines.ts: default, lazy, legacy), restarting the same n8n.
 * Steps: ensure the n8n host (scripts/n8n-host.sh), npm run build (unless BENCH_SKIP_BUILD=1 or
 * --no-build), npm pack + install into a fresh user folder, start the 360dialog simulator in this
 * process, import credentials/workflows, publish, then per setting start n8n and measure (pass.ts),
 * P4 in the last pass (p4.ts), print (report.ts), stop everything and delete the run folder (kept
 * with BENCH_KEEP=1 or on failure).
 *
 * Env (config.ts): BENCH_N8N_PORT (5698), BENCH_BROKER_PORT (5699), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
 *      BENCH_ENGINES (default,lazy,legacy), BENCH_CONCURRENCY (8), BENCH_ROUNDS (5),
 *      BENCH_PHASE_SECONDS (4), BENCH_REQUESTS (24) and BENCH_FILTERED_REQUESTS (40) minimum requests
 *      per phase, BENCH_WARMUP (120), BENCH_P4_ITEMS (10000), BENCH_P4_RUNS (2, 0 = no P4),
 *      BENCH_STARTUP_TIMEOUT_MS (180000), DIALOG360_CORPUS, N8N_HOST_VERSION.
 */
import * as fs from 'node:fs';

// The n8n session this runner shares with the e2e and queue runners.
import {
	firstBusyPort,
	importAndPublish,
	N8nSession,
	SetupError,
	seconds,
	startN8n,
	stopN8n,
	stopOnSignal,
	tail,
	waitForN8n,
	type Host,
	type N8nChild,
	type N8nEnv,
} from '../../scripts/n8n-session';
import { startSimulator, type Simulator } from '../../test/simulator/simulator';
import { readConfig } from './config';
import { loadCorpus } from './corpus';
import { ENGINES, type EngineName } from './engines';
import { agent } from './http';
import { resetSession } from './n8n-rest';
import { runP4, type P4Result } from './p4';
import { measurePass, type Bodies } from './pass';
import { printReport, type EnginePass } from './report';
import { buildWorkflows, credentials, NUMBERS } from './workflows';

const started = Date.now();
const config = readConfig(process.argv.slice(2));

const log = (message: string) => console.log(`[bench:e2e] ${message}`);

/** Environment of every n8n command; `n8n start` adds the setting's own (engines.ts). */
const n8nEnv = (): N8nEnv => ({
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false', // activate (and register) during startup
	N8N_WEBHOOK_URL: `http://localhost:${config.n8nPort}/`,
});
const n8nUrl = `http://localhost:${config.n8nPort}`;

/** What the run has started or made so far: what cleanup stops, and the failure report reads. */
interface Running {
	runDir?: string;
	sim?: Simulator;
	n8n?: N8nChild;
	/** The log of the n8n started last. */
	logFile?: string;
}

/** Everything up to the first n8n start: ports, corpus, the session, the simulator, the imports. */
async function prepare(running: Running) {
	const busy = await firstBusyPort([
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
		onRunDir: (dir) => (running.runDir = dir),
	});
	const host = session.host(config.n8nPort, config.brokerPort);

	const sim = await startSimulator({ port: 0, numbers: Object.values(NUMBERS), partners: [] });
	running.sim = sim;
	const workflowList = buildWorkflows(corpus.flat, config.p4Items);
	const t = Date.now();
	importAndPublish(host, n8nEnv(), session.writeImports(credentials(sim.url), workflowList));
	log(`imported and published ${workflowList.length} workflows (${seconds(Date.now() - t)})`);
	return { corpus, session, host, sim };
}

/** One pass per setting, restarting n8n in between; P4 in the last. */
async function measureSettings(
	running: Running,
	{ corpus, session, host, sim }: Awaited<ReturnType<typeof prepare>>,
): Promise<{ passes: EnginePass[]; p4: P4Result | null }> {
	const bodies: Bodies = {
		messages: corpus.messages.map((b) => Buffer.from(JSON.stringify(b))),
		statuses: corpus.statuses.map((b) => Buffer.from(JSON.stringify(b))),
	};
	const finished: Record<string, number> = {};
	const passes: EnginePass[] = [];
	let p4: P4Result | null = null;
	for (const [index, engine] of config.engines.entries()) {
		if (index > 0) await stopN8n(running.n8n, log);
		const label = ENGINES[engine].label;
		await startSetting(running, session, host, engine);
		const n8nGroup = running.n8n?.pid;
		const pass = await measurePass({ config, n8nUrl, sim, bodies, finished, log, label, n8nGroup });
		passes.push({ engine, ...pass });
		if (index === config.engines.length - 1 && config.p4Runs > 0) {
			p4 = await runP4({ config, n8nUrl, n8nBin: session.hostPaths.N8N_BIN, log });
		}
	}
	return { passes, p4 };
}

/** Starts n8n with the setting's environment, its own log, and a fresh REST session. */
async function startSetting(running: Running, session: N8nSession, host: Host, engine: EngineName): Promise<void> {
	const t = Date.now();
	const logFile = session.file(`n8n-${engine}.log`);
	running.logFile = logFile;
	running.n8n = startN8n(host, { ...n8nEnv(), ...ENGINES[engine].env }, logFile);
	resetSession();
	await waitForN8n(running.n8n, n8nUrl, logFile, config.startupTimeoutMs);
	log(`n8n started on ${n8nUrl}, ${ENGINES[engine].label} (${seconds(Date.now() - t)})`);
}

/** n8n colours its log lines. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Whether an n8n log shows the JS task runner registering. */
function runnerRegistered(logFile: string | undefined): boolean {
	if (logFile === undefined) return false;
	const logText = fs.readFileSync(logFile, 'utf8').replace(ANSI_COLOUR, '');
	return /Registered runner "JS Task Runner"/.test(logText);
}

async function main(): Promise<void> {
	const running: Running = {};
	let success = false;
	const cleanup = async () => {
		await stopN8n(running.n8n, log);
		running.n8n = undefined;
		if (running.sim) await running.sim.close();
		running.sim = undefined;
		agent.destroy();
	};
	stopOnSignal(log, cleanup);
	try {
		const prepared = await prepare(running);
		const { passes, p4 } = await measureSettings(running, prepared);
		const { corpus, session } = prepared;
		const runnerSeen = runnerRegistered(running.logFile);
		printReport({ passes, p4, config, hostPaths: session.hostPaths, pkg: session.pkg, corpus, runnerSeen });
		success = true;
	} catch (error) {
		console.error(`[bench:e2e] failed: ${error instanceof SetupError ? error.message : (error as Error).stack}`);
		if (running.logFile) console.error(`last lines of the n8n log:\n${tail(running.logFile, 30)}`);
	} finally {
		await cleanup();
		if (running.runDir) {
			if (success && !config.keep) fs.rmSync(running.runDir, { recursive: true, force: true });
			else log(`kept the run folder: ${running.runDir}`);
		}
	}
	log(`${success ? 'done' : 'FAILED'} in ${seconds(Date.now() - started)}`);
	process.exitCode = success ? 0 : 1;
}

void main();
