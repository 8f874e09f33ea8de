'use strict';
/**
 * The n8n-host lifecycle shared by the e2e runner (test/e2e/run.js), the queue-mode runner
 * (test/queue/run.js) and the n8n-level benchmarks (bench/e2e/run.js, bench/queue/run.js): ensure the host, pack and install this package into a fresh user folder,
 * import and publish with the n8n CLI, start n8n, wait until it is ready, stop its process group.
 *
 * Everything n8n-specific (Node 24, n8n version, the env n8n runs with) stays in
 * scripts/n8n-host.sh; this module only drives it. Each runner keeps its own ports, env, logs and
 * messages and passes them in. Plain Node, no dependencies.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const HOST_SCRIPT = path.join(REPO, 'scripts/n8n-host.sh');

/** A failure whose message says it all (the runners print it without a stack trace). */
class SetupError extends Error {}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * process.env plus `overrides`; a key set to undefined is removed, so a runner can keep a variable
 * of its own environment away from n8n (bench: N8N_EXPRESSION_ENGINE for the default engine).
 */
function childEnv(overrides = {}) {
	const env = { ...process.env, ...overrides };
	for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete env[key];
	return env;
}

/** Runs a command to completion; throws SetupError on failure. Returns stdout when `capture`. */
function run(command, args, { env, cwd = REPO, capture = false } = {}) {
	const result = spawnSync(command, args, {
		cwd,
		env: childEnv(env),
		stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error) throw new SetupError(`${command} ${args.join(' ')}: ${result.error.message}`);
	if (result.status !== 0) {
		const output = capture ? `\n${result.stdout || ''}${result.stderr || ''}` : '';
		throw new SetupError(`${command} ${args.join(' ')} exited with ${result.status}${output}`);
	}
	return capture ? result.stdout : '';
}

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The first `[envName, port]` pair whose port is taken, or null: the caller says what to do. */
async function firstBusyPort(ports) {
	for (const entry of ports) if (!(await portFree(entry[1]))) return entry;
	return null;
}

/** The last `lines` lines of a log, without ANSI colours (n8n colours its log lines). */
function tail(file, lines) {
	try {
		const text = fs.readFileSync(file, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
		return text.split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

// ------------------------------------------------------------------ preparing a run

/**
 * `n8n-host.sh ensure` (installs on first use, cached); returns its KEY=value lines as an object.
 * Which n8n: N8N_HOST_VERSION of this process's environment (a version of scripts/n8n-host.json),
 * else the default; every n8n-host.sh call of the run inherits the same variable.
 */
function ensureHost() {
	return Object.fromEntries(
		run('bash', [HOST_SCRIPT, 'ensure'], { capture: true })
			.trim()
			.split('\n')
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
}

function buildPackage() {
	run('npm', ['run', 'build', '--silent']);
}

/** A fresh run folder in the OS temp dir with an empty n8n user folder in it. */
function createRunFolder(prefix) {
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const userFolder = path.join(runDir, 'user');
	fs.mkdirSync(userFolder);
	return { runDir, userFolder };
}

/**
 * npm pack the built package and install the tarball into the user folder the way n8n's
 * community-package installer does, so the run tests what users get, not the working tree.
 */
function packAndInstall(runDir, userFolder) {
	const tarball = run('bash', [HOST_SCRIPT, 'pack', path.join(runDir, 'pack')], {
		capture: true,
	}).trim();
	const packageDir = run('bash', [HOST_SCRIPT, 'install-package', userFolder, tarball], {
		capture: true,
	}).trim();
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	return { packageDir, pkg };
}

// ------------------------------------------------------------------ n8n
// `host` = { userFolder, port, brokerPort, n8nVersion }: what n8n-host.sh needs to place one n8n
// (n8nVersion: N8N_VERSION from ensureHost(), for the CLI commands that differ between versions).
// `env` = the runner's own variables on top of n8n-host.sh's defaults.

const hostRunArgs = (host, args) => [
	HOST_SCRIPT,
	'run',
	host.userFolder,
	String(host.port),
	String(host.brokerPort),
	...args,
];

/** One n8n CLI command (import:*, publish:*) against the user folder; returns its stdout. */
function n8nCli(host, env, args) {
	return run('bash', hostRunArgs(host, args), { env, capture: true });
}

/**
 * Imports credentials and workflows, then publishes each workflow, all before n8n starts: with
 * the publication service off, n8n then activates them (registers the webhooks) during startup.
 */
function importAndPublish(host, env, { credentialsFile, workflowsFile, workflowIds }) {
	n8nCli(host, env, ['import:credentials', `--input=${credentialsFile}`]);
	n8nCli(host, env, ['import:workflow', `--input=${workflowsFile}`]);
	// n8n 1.x has no publish:workflow; its way to the same state is update:workflow --active.
	const publish = String(host.n8nVersion).startsWith('1.')
		? (id) => ['update:workflow', `--id=${id}`, '--active=true']
		: (id) => ['publish:workflow', `--id=${id}`];
	for (const id of workflowIds) n8nCli(host, env, publish(id));
}

/**
 * Starts an n8n process in the background (`n8n start` unless `args` says `webhook` or `worker`),
 * output appended to logFile; `child.exited` resolves on exit.
 */
function startN8n(host, env, logFile, args = ['start']) {
	// Where this start's output begins: a restarted process appends to the same log.
	const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
	const out = fs.openSync(logFile, 'a');
	const child = spawn('bash', hostRunArgs(host, args), {
		cwd: REPO,
		env: childEnv(env),
		stdio: ['ignore', out, out],
		// Own process group, so that n8n and its task runner can be stopped together.
		detached: true,
	});
	fs.closeSync(out);
	child.logOffset = logOffset;
	child.exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	return child;
}

/** A log's text from byte `offset` on. */
function logSince(file, offset = 0) {
	const buffer = fs.readFileSync(file);
	return buffer.subarray(Math.min(offset, buffer.length)).toString('utf8');
}

/** What `n8n start` prints once startup, including workflow activation, is done. */
const MAIN_READY_LINE = 'Editor is now accessible via';

/**
 * Resolves once `${n8nUrl}/healthz` answers 200 and the log has `readyLine` (null: health alone);
 * throws if the process exits or the timeout passes.
 */
async function waitForN8n(child, n8nUrl, logFile, timeoutMs, readyLine = MAIN_READY_LINE) {
	const deadline = Date.now() + timeoutMs;
	let exited = null;
	child.exited.then((result) => (exited = result));
	for (;;) {
		if (exited) {
			throw new SetupError(
				`n8n exited during startup (${JSON.stringify(exited)}):\n${tail(logFile, 60)}`,
			);
		}
		let healthy = false;
		try {
			healthy = (await fetch(`${n8nUrl}/healthz`)).status === 200;
		} catch {
			healthy = false;
		}
		if (healthy && (readyLine === null || logSince(logFile, child.logOffset).includes(readyLine)))
			return;
		if (Date.now() > deadline) {
			throw new SetupError(`n8n not ready after ${seconds(timeoutMs)}:\n${tail(logFile, 60)}`);
		}
		await sleep(250);
	}
}

/** SIGTERM n8n's process group, SIGKILL after 20 s; `log` is the runner's own logger. */
async function stopN8n(child, log) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		return;
	}
	let timer;
	const result = await Promise.race([
		child.exited,
		new Promise((resolve) => (timer = setTimeout(() => resolve(null), 20000))),
	]);
	clearTimeout(timer);
	if (result === null) {
		log('n8n did not stop within 20 s; killing it');
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
		await child.exited;
	}
	// Whatever n8n left in its process group (task runner) goes too.
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// nothing left
	}
}

// ------------------------------------------------------------------ runner plumbing

/**
 * Lets a plain-Node runner require the repo's .ts files (fixtures, workflows, helpers shared with
 * the jest suites): each is transpiled on require, without type checking (`npm run typecheck` does that).
 */
function registerTypeScript() {
	if (require.extensions['.ts']) return;
	const ts = require(require.resolve('typescript', { paths: [REPO] }));
	require.extensions['.ts'] = function compileTs(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2021,
				esModuleInterop: true,
			},
		});
		module._compile(outputText, filename);
	};
}

/**
 * Runs jest in a child process (this one keeps serving the simulator) with E2E_STATE_FILE set;
 * resolves with its exit code and `{passed, failed}` from its JSON results (null if unreadable).
 */
async function runJest({ config, stateFile, resultsFile, args = [], env = {} }) {
	const jest = spawn(
		process.execPath,
		[
			require.resolve('jest/bin/jest', { paths: [REPO] }),
			'-c',
			config,
			'--runInBand',
			'--json',
			`--outputFile=${resultsFile}`,
			...args,
		],
		{ cwd: REPO, env: { ...process.env, ...env, E2E_STATE_FILE: stateFile }, stdio: 'inherit' },
	);
	const code = await new Promise((resolve) =>
		jest.once('exit', (exitCode) => resolve(exitCode ?? 1)),
	);
	let counts = null;
	try {
		const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
		counts = {
			passed: results.numPassedTests,
			failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
		};
	} catch {
		counts = null;
	}
	return { code, counts };
}

/**
 * On SIGINT/SIGTERM: run `cleanup` once (stop n8n, the simulator...), then exit 130, so an
 * interrupted run leaves no n8n behind on its ports.
 */
function stopOnSignal(log, cleanup) {
	let interrupted = false;
	const onSignal = (signal) => {
		if (interrupted) return;
		interrupted = true;
		log(`${signal}: stopping n8n and the simulator`);
		cleanup().finally(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

module.exports = {
	REPO,
	HOST_SCRIPT,
	SetupError,
	seconds,
	sleep,
	run,
	portFree,
	firstBusyPort,
	tail,
	ensureHost,
	buildPackage,
	createRunFolder,
	packAndInstall,
	n8nCli,
	importAndPublish,
	startN8n,
	MAIN_READY_LINE,
	waitForN8n,
	stopN8n,
	stopOnSignal,
	registerTypeScript,
	runJest,
};
