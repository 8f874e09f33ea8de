/**
 * One n8n session, the steps every runner of this repo walks: the e2e suite (test/e2e/run.ts), the
 * compatibility runs (test/e2e/compat.ts, through the e2e runner), the queue-mode suite's cluster
 * (test/queue/cluster.ts, test/queue/run.ts) and the n8n-level benchmarks (bench/e2e/run.ts,
 * bench/queue/run.ts).
 *
 *   N8nSession.prepare()   ensure the host (Node 24 + n8n, cached), npm run build, a fresh run
 *                          folder, npm pack, install the tarball into the user folder as n8n does
 *   session.writeImports() the credentials and workflows files of the run
 *   session.runTests()     the run's state file for its tests, then jest against it
 *   importAndPublish()     n8n import:credentials, import:workflow, publish each workflow
 *   startN8n(), waitForN8n()  n8n in its own process group; /healthz and startup done
 *   stopN8n()              SIGTERM, then SIGKILL, to the process group of the PID this run started
 *   session.finish()       remove the run folder, or keep it (failure, or asked to)
 *   runSuite()             the frame: signals stop everything, setup errors print without a stack
 *
 * Everything n8n-specific (Node 24, n8n version, the env n8n runs with) stays in
 * scripts/n8n-host.sh and scripts/n8n-host-helper.ts; this module drives them. Each runner keeps its own
 * ports, env, logs and messages and passes them in.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..');
export const HOST_SCRIPT = path.join(REPO, 'scripts/n8n-host.sh');
/** `node -r <it> file.ts` runs a TypeScript file of this repo (scripts/register-ts.js). */
export const REGISTER_TS = path.join(REPO, 'scripts/register-ts.js');

/** A failure whose message says it all (the runners print it without a stack trace). */
export class SetupError extends Error {}

export type Log = (message: string) => void;

/** Variables on top of the inherited environment; undefined removes one. */
export type N8nEnv = Record<string, string | undefined>;

/** Where one n8n process lives: what n8n-host.sh needs to place it. */
export interface Host {
	userFolder: string;
	port: number;
	brokerPort: number;
	/** For the CLI commands that differ between versions (N8N_VERSION of ensureHost()). */
	n8nVersion?: string;
}

export type N8nChild = ChildProcess & {
	/** Where this start's output begins in its log (a restarted process appends to the same log). */
	logOffset: number;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** What `n8n-host.sh ensure` prints, KEY=value. */
export interface HostPaths {
	CACHE_ROOT: string;
	NODE_VERSION: string;
	NODE_BIN: string;
	NODE_HOME: string;
	N8N_VERSION: string;
	N8N_BIN: string;
	DEV_USER_FOLDER: string;
	READY: string;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** process.env plus `overrides`; a key set to undefined is removed. */
function childEnv(overrides: N8nEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
	for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete env[key];
	return env;
}

/** Runs a command to completion; throws SetupError on failure. Returns stdout when `capture`. */
export function run(
	command: string,
	args: string[],
	{ env, cwd = REPO, capture = false }: { env?: N8nEnv; cwd?: string; capture?: boolean } = {},
): string {
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

export function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The first `[name, port]` pair whose port is taken, or null: the caller says what to do. */
export async function firstBusyPort(ports: Array<[string, number]>): Promise<[string, number] | null> {
	for (const entry of ports) if (!(await portFree(entry[1]))) return entry;
	return null;
}

/** n8n colours its log lines. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The last `lines` lines of a log, without ANSI colours. */
export function tail(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').replace(ANSI_COLOUR, '').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** A log's text from byte `offset` on. */
export function logSince(file: string, offset = 0): string {
	const buffer = fs.readFileSync(file);
	return buffer.subarray(Math.min(offset, buffer.length)).toString('utf8');
}

// ------------------------------------------------------------------ the host

/**
 * `n8n-host.sh ensure` (installs on first use, cached). Which n8n: N8N_HOST_VERSION of this
 * process's environment (a version of scripts/n8n-host.json), else the default; every n8n-host.sh
 * call of the run inherits the same variable.
 */
export function ensureHost(): HostPaths {
	const lines = run('bash', [HOST_SCRIPT, 'ensure'], { capture: true }).trim().split('\n');
	const paths = Object.fromEntries(
		lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	) as unknown as HostPaths;
	if (process.env.N8N_HOST_VERSION === undefined) checkEngineVersions(paths);
	return paths;
}

/** The packages the engine tests load from this repo and that n8n runs them with. */
const ENGINE_PACKAGES = ['n8n-core', 'n8n-workflow', 'zod'] as const;

/**
 * The engine tests (n8n-core's WorkflowExecute, from devDependencies) must run the code the host
 * n8n runs: its own dependencies name the versions, so a host upgrade that leaves them behind
 * fails here with what to change.
 */
function checkEngineVersions(paths: HostPaths): void {
	const n8nPackage = path.resolve(paths.N8N_BIN, '..', '..', 'package.json');
	const hostDeps = (JSON.parse(fs.readFileSync(n8nPackage, 'utf8')) as PackageJson).dependencies;
	const ownDeps = (
		JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as PackageJson
	).devDependencies;
	const differing = ENGINE_PACKAGES.filter((name) => hostDeps?.[name] !== ownDeps?.[name]);
	if (differing.length === 0) return;
	throw new SetupError(
		`n8n ${paths.N8N_VERSION} runs ${differing.map((name) => `${name} ${hostDeps?.[name]}`).join(', ')}, ` +
			`but package.json's devDependencies pin ${differing.map((name) => `${name} ${ownDeps?.[name]}`).join(', ')}. ` +
			'Set them to the versions n8n runs (npm install -D -E <name>@<version>), so the engine tests run the same code.',
	);
}

interface PackageJson {
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
}

export function buildPackage(): void {
	run('npm', ['run', 'build', '--silent']);
}

const hostRunArgs = (host: Host, args: string[]): string[] => [
	HOST_SCRIPT,
	'run',
	host.userFolder,
	String(host.port),
	String(host.brokerPort),
	...args,
];

/** One n8n CLI command (import:*, publish:*) against the user folder; returns its stdout. */
export function n8nCli(host: Host, env: N8nEnv, args: string[]): string {
	return run('bash', hostRunArgs(host, args), { env, capture: true });
}

export interface ImportFiles {
	credentialsFile: string;
	workflowsFile: string;
	workflowIds: string[];
}

/**
 * Imports credentials and workflows, then publishes each workflow, all before n8n starts: with
 * the publication service off, n8n then activates them (registers the webhooks) during startup.
 */
export function importAndPublish(host: Host, env: N8nEnv, files: ImportFiles): void {
	n8nCli(host, env, ['import:credentials', `--input=${files.credentialsFile}`]);
	n8nCli(host, env, ['import:workflow', `--input=${files.workflowsFile}`]);
	// n8n 1.x has no publish:workflow; its way to the same state is update:workflow --active.
	const publish = String(host.n8nVersion).startsWith('1.')
		? (id: string) => ['update:workflow', `--id=${id}`, '--active=true']
		: (id: string) => ['publish:workflow', `--id=${id}`];
	for (const id of files.workflowIds) n8nCli(host, env, publish(id));
}

// ------------------------------------------------------------------ n8n processes

/**
 * Starts an n8n process in the background (`n8n start` unless `args` says `webhook` or `worker`),
 * output appended to logFile; `child.exited` resolves on exit.
 */
export function startN8n(host: Host, env: N8nEnv, logFile: string, args: string[] = ['start']): N8nChild {
	const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
	const out = fs.openSync(logFile, 'a');
	const child = spawn('bash', hostRunArgs(host, args), {
		cwd: REPO,
		env: childEnv(env),
		stdio: ['ignore', out, out],
		// Own process group, so that n8n and its task runner can be stopped together.
		detached: true,
	}) as N8nChild;
	fs.closeSync(out);
	child.logOffset = logOffset;
	child.exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	return child;
}

/** What `n8n start` prints once startup, including workflow activation, is done. */
export const MAIN_READY_LINE = 'Editor is now accessible via';

/**
 * Resolves once `${n8nUrl}/healthz` answers 200 and the log has `readyLine` (null: health alone);
 * throws if the process exits or the timeout passes.
 */
export async function waitForN8n(
	child: N8nChild,
	n8nUrl: string,
	logFile: string,
	timeoutMs: number,
	readyLine: string | null = MAIN_READY_LINE,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
	void child.exited.then((result) => (exited = result));
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

/** SIGTERM the process group of the PID this run started, SIGKILL after 20 s. */
export async function stopN8n(child: N8nChild | undefined, log: Log): Promise<void> {
	if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const pid = child.pid;
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	const result = await Promise.race([
		child.exited,
		new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 20000))),
	]);
	clearTimeout(timer);
	if (result === null) {
		log('n8n did not stop within 20 s; killing it');
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
		await child.exited;
	}
	// Whatever n8n left in its process group (task runner) goes too.
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// nothing left
	}
}

// ------------------------------------------------------------------ n8n's REST API

/** The owner account a run sets up on its fresh n8n. */
export interface N8nOwner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

const authCookieOf = (response: Response): string | undefined =>
	/n8n-auth=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];

/**
 * An `n8n-auth` cookie for n8n's REST API: sets up `owner` on a fresh n8n, else logs in as it. n8n
 * wants the same `browser-id` header on every call the cookie is used for.
 */
export async function ownerCookie(n8nUrl: string, owner: N8nOwner, browserId: string): Promise<string> {
	const headers = { 'browser-id': browserId, 'content-type': 'application/json' };
	const post = (restPath: string, body: unknown) =>
		fetch(`${n8nUrl}/rest/${restPath}`, { method: 'POST', headers, body: JSON.stringify(body) });
	let response = await post('owner/setup', owner);
	let cookie = response.status === 200 ? authCookieOf(response) : undefined;
	if (!cookie) {
		response = await post('login', { emailOrLdapLoginId: owner.email, password: owner.password });
		cookie = authCookieOf(response);
	}
	if (!cookie) {
		throw new SetupError(`n8n owner setup and login failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
	}
	return cookie;
}

// ------------------------------------------------------------------ the session

export interface InstalledPackage {
	name: string;
	version: string;
}

/** The state file a runner writes for its tests (E2E_STATE_FILE): where n8n, the simulator and the package are. */
export interface RunState {
	/** n8n's base URL, e.g. http://localhost:5688 */
	n8nUrl: string;
	n8nPort: number;
	brokerPort: number;
	n8nVersion: string;
	/** Simulator base URL, e.g. http://127.0.0.1:41234 */
	simUrl: string;
	/** N8N_USER_FOLDER of this run (n8n keeps its data in <userFolder>/.n8n). */
	userFolder: string;
	/** Where the package under test was installed: <userFolder>/.n8n/nodes/node_modules/<name>. */
	packageDir: string;
	packageName: string;
	packageVersion: string;
	/** Everything n8n printed (debug level) since it started. */
	n8nLogFile: string;
	runDir: string;
	workflows: Array<{ id: string; name: string }>;
}

/** Where this run's n8n and simulator listen, and n8n's log: what a runner adds to the session's own fields. */
export type RunAddresses = Pick<RunState, 'n8nUrl' | 'n8nPort' | 'brokerPort' | 'simUrl' | 'n8nLogFile'>;

/** One run's n8n host with this package packed and installed into a fresh user folder. */
export class N8nSession {
	private constructor(
		readonly hostPaths: HostPaths,
		readonly runDir: string,
		readonly userFolder: string,
		readonly packageDir: string,
		readonly pkg: InstalledPackage,
	) {}

	/**
	 * Ensures the host, builds (unless `build` is false), creates a run folder in the OS temp dir
	 * (`prefix`...) with an empty user folder, and installs the packed package into it the way n8n's
	 * community-package installer does, so the run tests what users get, not the working tree.
	 * `onRunDir` learns the folder as soon as it exists, so a failure after it can keep it.
	 */
	static prepare(options: { prefix: string; build: boolean; log: Log; onRunDir?: (runDir: string) => void }): N8nSession {
		const { log } = options;
		let t = Date.now();
		log('ensuring the n8n host (scripts/n8n-host.sh ensure)');
		const hostPaths = ensureHost();
		log(`n8n ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION} ready (${seconds(Date.now() - t)})`);
		if (options.build) {
			t = Date.now();
			log('npm run build');
			buildPackage();
			log(`built (${seconds(Date.now() - t)})`);
		}
		const runDir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
		options.onRunDir?.(runDir);
		const userFolder = path.join(runDir, 'user');
		fs.mkdirSync(userFolder);
		log(`run folder ${runDir}`);
		t = Date.now();
		const tarball = run('bash', [HOST_SCRIPT, 'pack', path.join(runDir, 'pack')], { capture: true }).trim();
		const packageDir = run('bash', [HOST_SCRIPT, 'install-package', userFolder, tarball], { capture: true }).trim();
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as InstalledPackage;
		log(`packed and installed ${pkg.name}@${pkg.version} (${seconds(Date.now() - t)})`);
		return new N8nSession(hostPaths, runDir, userFolder, packageDir, pkg);
	}

	get n8nVersion(): string {
		return this.hostPaths.N8N_VERSION;
	}

	/** The user folder of this run on these ports. */
	host(port: number, brokerPort: number): Host {
		return { userFolder: this.userFolder, port, brokerPort, n8nVersion: this.n8nVersion };
	}

	/** Writes the credentials and workflows of the run as the n8n CLI imports them. */
	writeImports(credentials: unknown[], workflows: Array<{ id: string }>): ImportFiles {
		const credentialsFile = path.join(this.runDir, 'credentials.json');
		const workflowsFile = path.join(this.runDir, 'workflows.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
		fs.writeFileSync(workflowsFile, JSON.stringify(workflows, null, 2));
		return { credentialsFile, workflowsFile, workflowIds: workflows.map((wf) => wf.id) };
	}

	/**
	 * Writes the run's state file (`stateName` in the run folder: `where` n8n and the simulator are,
	 * this session's folders and package, the workflows imported, then `extra`) and runs jest with
	 * `jestConfig` against it. `ok`: jest exited 0 and at least one test passed.
	 */
	async runTests(options: {
		stateName: string;
		where: RunAddresses;
		workflows: Array<{ id: string; name: string }>;
		extra?: Record<string, unknown>;
		jestConfig: string;
		args: string[];
	}): Promise<JestRun & { ok: boolean }> {
		const { where } = options;
		const state: RunState = {
			n8nUrl: where.n8nUrl,
			n8nPort: where.n8nPort,
			brokerPort: where.brokerPort,
			n8nVersion: this.n8nVersion,
			simUrl: where.simUrl,
			userFolder: this.userFolder,
			packageDir: this.packageDir,
			packageName: this.pkg.name,
			packageVersion: this.pkg.version,
			n8nLogFile: where.n8nLogFile,
			runDir: this.runDir,
			workflows: options.workflows.map(({ id, name }) => ({ id, name })),
		};
		const run = await runJest({
			config: path.join(REPO, options.jestConfig),
			stateFile: this.writeJson(options.stateName, { ...state, ...options.extra }),
			resultsFile: this.file('jest-results.json'),
			args: options.args,
		});
		return { ...run, ok: run.code === 0 && run.counts !== null && run.counts.passed > 0 };
	}

	/** Writes a JSON file into the run folder; returns its path. */
	writeJson(name: string, data: unknown): string {
		const file = path.join(this.runDir, name);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	file(name: string): string {
		return path.join(this.runDir, name);
	}
}

/** Removes a run folder after a success (unless `keep`), else says where it is. */
export function finishRunDir(runDir: string | undefined, success: boolean, keep: boolean, log: Log): void {
	if (!runDir) return;
	if (success && !keep) fs.rmSync(runDir, { recursive: true, force: true });
	else log(`kept the run folder for inspection: ${runDir}`);
}

// ------------------------------------------------------------------ runner plumbing

/** How a jest run ended: its exit code, and its counts (null when its results were unreadable). */
export interface JestRun {
	code: number;
	counts: { passed: number; failed: number } | null;
}

/**
 * Runs jest in a child process (this one keeps serving the simulator) with E2E_STATE_FILE set;
 * resolves with its exit code and `{passed, failed}` from its JSON results (null if unreadable).
 */
export async function runJest(options: {
	config: string;
	stateFile: string;
	resultsFile: string;
	args?: string[];
	env?: N8nEnv;
}): Promise<JestRun> {
	const jest = spawn(
		process.execPath,
		[
			require.resolve('jest/bin/jest', { paths: [REPO] }),
			'-c',
			options.config,
			'--runInBand',
			'--json',
			`--outputFile=${options.resultsFile}`,
			...(options.args ?? []),
		],
		{ cwd: REPO, env: childEnv({ ...options.env, E2E_STATE_FILE: options.stateFile }), stdio: 'inherit' },
	);
	const code = await new Promise<number>((resolve) => jest.once('exit', (exitCode) => resolve(exitCode ?? 1)));
	let counts: { passed: number; failed: number } | null = null;
	try {
		const results = JSON.parse(fs.readFileSync(options.resultsFile, 'utf8')) as {
			numPassedTests: number;
			numFailedTests: number;
			numRuntimeErrorTestSuites: number;
		};
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
export function stopOnSignal(log: Log, cleanup: () => Promise<void>): void {
	let interrupted = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (interrupted) return;
		interrupted = true;
		log(`${signal}: stopping n8n and the simulator`);
		void cleanup().finally(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

/**
 * The frame of a runner: `body` does the work and returns whether it succeeded; `cleanup` runs
 * after it (and on SIGINT/SIGTERM); a SetupError prints its message, anything else its stack.
 * Returns whether the run succeeded.
 */
export async function runSuite(name: string, log: Log, cleanup: () => Promise<void>, body: () => Promise<boolean>): Promise<boolean> {
	stopOnSignal(log, cleanup);
	let success = false;
	try {
		success = await body();
	} catch (error) {
		console.error(`[${name}] setup failed: ${error instanceof SetupError ? error.message : (error as Error).stack}`);
	} finally {
		await cleanup();
	}
	return success;
}
