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
 * Steps 1-5 and 7 are scripts/n8n-session.ts. Extra arguments go to jest (e.g.
 * `npm run test:e2e -- -t smoke`).
 * Env: E2E_N8N_PORT (5688), E2E_BROKER_PORT (5689), E2E_SIM_PORT (0 = any free port),
 *      E2E_SKIP_BUILD=1, E2E_KEEP=1, E2E_STARTUP_TIMEOUT_MS (180000), E2E_PUBLICATION_SERVICE=1,
 *      N8N_HOST_VERSION (another n8n of scripts/n8n-host.json; npm run test:compat sets it),
 *      E2E_WORKFLOWS (comma-separated keys of WORKFLOW_IDS in workflows.ts: import only those).
 */
import {
	finishRunDir,
	firstBusyPort,
	importAndPublish,
	N8nSession,
	runSuite,
	seconds,
	SetupError,
	startN8n,
	stopN8n,
	tail,
	waitForN8n,
	type N8nChild,
	type N8nEnv,
} from '../../scripts/n8n-session';
import { startSimulator, type Simulator } from '../simulator/simulator';
import { credentialsFor, E2E_ENCRYPTION_KEY, simulatorSeed } from './fixtures';
import { allWorkflows, WORKFLOW_IDS } from './workflows';

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

const log = (message: string) => console.log(`[e2e] ${message}`);

/** Environment for every n8n command of this run (on top of scripts/n8n-host.sh's defaults). */
function n8nEnv(): N8nEnv {
	return {
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'debug',
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: config.publicationService ? 'true' : 'false',
		N8N_WEBHOOK_URL: `http://localhost:${config.n8nPort}/`,
	};
}

/** Every workflow, or those E2E_WORKFLOWS names. */
function selectWorkflows<W extends { id: string }>(all: W[]): W[] {
	if (!config.workflowKeys) return all;
	const ids = config.workflowKeys.map((key) => {
		const id = (WORKFLOW_IDS as Record<string, string | undefined>)[key.trim()];
		if (!id) throw new SetupError(`E2E_WORKFLOWS: no workflow "${key}" in WORKFLOW_IDS (workflows.ts)`);
		return id;
	});
	return all.filter((wf) => ids.includes(wf.id));
}

async function main(): Promise<void> {
	const jestArgs = process.argv.slice(2);
	let runDir: string | undefined;
	let sim: Simulator | undefined;
	let n8n: N8nChild | undefined;
	let counts: { passed: number; failed: number } | null = null;

	const cleanup = async () => {
		await stopN8n(n8n, log);
		n8n = undefined;
		if (sim) await sim.close();
		sim = undefined;
	};

	const success = await runSuite('e2e', log, cleanup, async () => {
		const busy = await firstBusyPort([
			['E2E_N8N_PORT', config.n8nPort],
			['E2E_BROKER_PORT', config.brokerPort],
		]);
		if (busy) throw new SetupError(`port ${busy[1]} on 127.0.0.1 is in use (another n8n?); set ${busy[0]}`);

		const session = N8nSession.prepare({
			prefix: 'n8n-360dialog-e2e-',
			build: !config.skipBuild,
			log,
			onRunDir: (dir) => (runDir = dir),
		});
		const host = session.host(config.n8nPort, config.brokerPort);
		const logFile = session.file('n8n.log');

		sim = await startSimulator({
			port: config.simPort,
			...simulatorSeed(),
			delivery: { retries: 3, retryDelayMs: 200 },
		});
		log(`simulator on ${sim.url}`);

		const n8nUrl = `http://localhost:${config.n8nPort}`;
		const workflowList = selectWorkflows(allWorkflows({ n8nUrl, simUrl: sim.url }));
		const credentials = credentialsFor(sim.url);
		let t = Date.now();
		importAndPublish(host, n8nEnv(), session.writeImports(credentials, workflowList));
		log(
			`imported ${credentials.length} credentials and ${workflowList.length} workflow(s), published them (${seconds(Date.now() - t)})`,
		);

		t = Date.now();
		n8n = startN8n(host, n8nEnv(), logFile);
		await waitForN8n(n8n, n8nUrl, logFile, config.startupTimeoutMs);
		log(`n8n started on ${n8nUrl} (${seconds(Date.now() - t)}); log: ${logFile}`);

		t = Date.now();
		const jestRun = await session.runTests({
			stateName: 'e2e-state.json',
			where: { n8nUrl, n8nPort: config.n8nPort, brokerPort: config.brokerPort, simUrl: sim.url, n8nLogFile: logFile },
			workflows: workflowList,
			jestConfig: 'jest.e2e.config.js',
			args: jestArgs,
		});
		counts = jestRun.counts;
		log(`jest finished with code ${jestRun.code} (${seconds(Date.now() - t)})`);
		const ok = jestRun.ok;
		if (!ok) log(`last lines of the n8n log (${logFile}):\n${tail(logFile, 40)}`);
		return ok;
	});
	finishRunDir(runDir, success, config.keep, log);

	const total = seconds(Date.now() - started);
	const final = counts as { passed: number; failed: number } | null;
	if (success) {
		console.log(`E2E PASS: n8n e2e suite green in ${total}`);
	} else {
		const why = !final ? 'the suite did not run to the end' : final.failed > 0 ? 'tests failed' : 'no test ran';
		console.log(`E2E FAIL: ${why} after ${total}`);
	}
	if (final) console.log(`e2e: ${final.passed} passed, ${final.failed} failed`);
	process.exitCode = success ? 0 : 1;
}

void main();
