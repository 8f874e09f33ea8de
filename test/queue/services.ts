/**
 * PostgreSQL and Redis for n8n's queue mode, from the machine's Debian packages: installed with
 * apt-get when missing, started on loopback on their own ports with data folders under the host
 * cache, and stopped by PID. Nothing here touches a system-wide instance.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Service {
	name: string;
	pid: number;
	port: number;
	stop(): Promise<void>;
}

function run(command: string, args: string[], what: string): string {
	const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (result.error) throw new Error(`${what}: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(`${what} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
	}
	return result.stdout;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? join(root, majors[0], 'bin') : undefined;
}

/** `apt-get install -y postgresql redis-server` when either is missing (needs root). */
export function ensureDebianPackages(log: (message: string) => void): void {
	const missing = [
		...(postgresBinDir() ? [] : ['postgresql']),
		...(existsSync('/usr/bin/redis-server') ? [] : ['redis-server']),
	];
	if (missing.length === 0) return;
	if (!isRoot()) {
		throw new Error(
			`${missing.join(' and ')} not installed: run \`sudo apt-get install -y postgresql redis-server\``,
		);
	}
	log(`installing ${missing.join(', ')} from Debian (apt-get)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
		const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	}
	// The package starts a system cluster/server; ours run separately on their own ports.
}

/** True while a process with this PID exists. */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Sends `signal` to pid, waits for it to go, SIGKILL after `graceMs`. */
async function stopPid(pid: number, signal: NodeJS.Signals, graceMs = 20000): Promise<void> {
	if (!alive(pid)) return;
	process.kill(pid, signal);
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await sleep(100);
	if (alive(pid)) process.kill(pid, 'SIGKILL');
	while (alive(pid)) await sleep(50);
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs: number, pid: number) {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (!alive(pid)) throw new Error(`${what} exited during startup`);
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
		await sleep(200);
	}
}

function spawnLogged(command: string, args: string[], logFile: string) {
	const out = openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', out, out], detached: true });
	closeSync(out);
	child.unref();
	if (child.pid === undefined) throw new Error(`could not start ${command}`);
	return child.pid;
}

// ------------------------------------------------------------------ PostgreSQL

export const POSTGRES_USER = 'n8n';

export interface Postgres extends Service {
	/** Drops and creates a database (a fresh n8n schema per run). */
	freshDatabase(name: string): void;
	/** Runs one SQL statement in a database; returns psql's unaligned output. */
	sql(database: string, statement: string): string;
}

/**
 * Starts PostgreSQL on 127.0.0.1:`port` (TCP only, trust auth for loopback, fsync off: a throwaway
 * test database). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user,
 * and the cluster folder must be one that user can reach.
 */
export async function startPostgres(opts: {
	port: number;
	dataDir: string;
	logFile: string;
}): Promise<Postgres> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed');
	const asPostgres = isRoot()
		? ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--']
		: [];
	const exec = (command: string, args: string[]) =>
		asPostgres.length > 0
			? run(asPostgres[0], [...asPostgres.slice(1), command, ...args], command)
			: run(command, args, command);

	mkdirSync(opts.dataDir, { recursive: true });
	if (isRoot()) run('chown', ['postgres:postgres', opts.dataDir], 'chown');
	if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
		exec(join(bin, 'initdb'), [
			'-D',
			opts.dataDir,
			'-U',
			POSTGRES_USER,
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-instructions',
		]);
	}
	const args = [
		'-D',
		opts.dataDir,
		'-p',
		String(opts.port),
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'unix_socket_directories=',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	];
	// setpriv executes postgres in place, so the PID is postgres' own.
	const pid =
		asPostgres.length > 0
			? spawnLogged(
					asPostgres[0],
					[...asPostgres.slice(1), join(bin, 'postgres'), ...args],
					opts.logFile,
				)
			: spawnLogged(join(bin, 'postgres'), args, opts.logFile);
	const psql = (sql: string, database = 'postgres') =>
		run(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(opts.port),
				'-U',
				POSTGRES_USER,
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-qAtc',
				sql,
			],
			`psql ${sql}`,
		);
	await waitUntil(
		`PostgreSQL on port ${opts.port} (log: ${opts.logFile})`,
		() => spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(opts.port)]).status === 0,
		60000,
		pid,
	);
	return {
		name: 'postgres',
		pid,
		port: opts.port,
		sql: (database: string, statement: string) => psql(statement, database),
		freshDatabase(name: string) {
			psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			psql(`CREATE DATABASE "${name}"`);
		},
		// SIGINT is PostgreSQL's fast shutdown: roll back open transactions, stop cleanly.
		stop: async () => await stopPid(pid, 'SIGINT'),
	};
}

// ------------------------------------------------------------------ Redis

/** Starts redis-server on 127.0.0.1:`port`, no persistence, emptied before use. */
export async function startRedis(opts: {
	port: number;
	dataDir: string;
	logFile: string;
}): Promise<Service> {
	mkdirSync(opts.dataDir, { recursive: true });
	const pid = spawnLogged(
		'redis-server',
		[
			'--port',
			String(opts.port),
			'--bind',
			'127.0.0.1',
			'--dir',
			opts.dataDir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		opts.logFile,
	);
	const cli = (...args: string[]) =>
		spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(opts.port), ...args], {
			encoding: 'utf8',
		});
	await waitUntil(
		`Redis on port ${opts.port} (log: ${opts.logFile})`,
		() => cli('ping').stdout?.trim() === 'PONG',
		30000,
		pid,
	);
	cli('flushall');
	return { name: 'redis', pid, port: opts.port, stop: async () => await stopPid(pid, 'SIGTERM') };
}

/** The last lines of a service log, for error messages. */
export function logTail(file: string, lines = 30): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}
