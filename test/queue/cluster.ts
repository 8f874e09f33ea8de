/**
 * n8n in queue mode, as users run it: PostgreSQL + Redis (services.ts), one main process (editor,
 * REST API, workflow activation and webhook registration), `n8n webhook` processes behind a load
 * balancer, and `n8n worker` processes that run the executions. Every process reads the same user
 * folder, where the package is installed, and stores binary data in the database.
 *
 * The balancer is a small round-robin HTTP proxy on its own port: `/webhook/...` goes to the webhook
 * processes in turn, everything else (REST API, `/webhook-test/...`) to main, which is how n8n's
 * documentation sets queue mode up. N8N_WEBHOOK_URL is the balancer, so the URL the triggers
 * register with 360dialog (the simulator) is the balancer's, and every delivery is spread over both
 * webhook processes. The balancer also serves `/__cluster/...`, a control API for the tests
 * (restart main, stop or start a worker, per-process request counts).
 */
import { request as httpRequest, Agent, createServer, type Server } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

import * as n8nProcess from '../../scripts/n8n-session';
import type { Host, N8nChild } from '../../scripts/n8n-session';

import {
	ensureDebianPackages,
	logTail,
	startPostgres,
	startRedis,
	type Postgres,
	type Service,
} from './services';

/** The ports of one queue-mode run: n8n processes, their task brokers, worker health checks. */
export interface QueuePorts {
	balancer: number;
	main: number;
	webhooks: number[];
	workers: number[];
	brokers: { main: number; webhooks: number[]; workers: number[] };
	workerHealth: number[];
	postgres: number;
	redis: number;
}

/** Defaults inside the range reserved for this suite (5720-5739, PostgreSQL 55432, Redis 56379). */
export function queuePorts(env: NodeJS.ProcessEnv = process.env): QueuePorts {
	const base = Number(env.QUEUE_PORT_BASE || 5720);
	return {
		main: base,
		webhooks: [base + 1, base + 2],
		workers: [base + 3, base + 4],
		workerHealth: [base + 5, base + 6],
		brokers: { main: base + 10, webhooks: [base + 11, base + 12], workers: [base + 13, base + 14] },
		balancer: base + 19,
		postgres: Number(env.QUEUE_POSTGRES_PORT || 55432),
		redis: Number(env.QUEUE_REDIS_PORT || 56379),
	};
}

type Role = 'main' | 'webhook' | 'worker';

interface ProcessSlot {
	name: string;
	role: Role;
	host: Host;
	logFile: string;
	healthUrl: string;
	env: Record<string, string>;
	child?: N8nChild;
}

export interface ClusterOptions {
	runDir: string;
	userFolder: string;
	ports: QueuePorts;
	/** Env every n8n process of the run gets (encryption key, log level, ...). */
	env: Record<string, string>;
	/** Env for main on top (e.g. a debug log, which the e2e smoke test reads). */
	mainEnv?: Record<string, string>;
	workers: number;
	startupTimeoutMs: number;
	log: (message: string) => void;
	database?: string;
}

/** n8n colours its log lines. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const cacheRoot = () =>
	process.env.N8N_NODES_360DIALOG_CACHE || join(homedir(), '.cache', 'n8n-nodes-360dialog');

export class QueueCluster {
	postgres?: Postgres;
	redis?: Service;
	readonly slots: ProcessSlot[] = [];
	private balancer?: Server;
	private next = 0;
	/** Requests the balancer sent to each webhook process, by port. */
	readonly forwarded: Record<number, number> = {};
	/** Requests the balancer could not pass on (connection refused or reset), by port. */
	readonly upstreamErrors: Record<number, number> = {};
	// A new connection per request: reusing idle keep-alive sockets races with n8n closing them,
	// and a request lost that way would look like n8n's fault.
	private readonly agent = new Agent({ keepAlive: false, maxSockets: 256 });
	readonly balancerUrl: string;

	constructor(private readonly opts: ClusterOptions) {
		this.balancerUrl = `http://localhost:${opts.ports.balancer}`;
		const { ports, runDir, userFolder } = opts;
		const add = (
			name: string,
			role: Role,
			port: number,
			brokerPort: number,
			health: string,
			env: Record<string, string> = {},
		) =>
			this.slots.push({
				name,
				role,
				host: { userFolder, port, brokerPort },
				logFile: join(runDir, `${name}.log`),
				healthUrl: health,
				env,
			});
		add(
			'main',
			'main',
			ports.main,
			ports.brokers.main,
			`http://127.0.0.1:${ports.main}`,
			opts.mainEnv,
		);
		ports.webhooks.forEach((port, i) =>
			add(
				`webhook-${i + 1}`,
				'webhook',
				port,
				ports.brokers.webhooks[i],
				`http://127.0.0.1:${port}`,
			),
		);
		ports.workers.slice(0, opts.workers).forEach((port, i) =>
			add(
				`worker-${i + 1}`,
				'worker',
				port,
				ports.brokers.workers[i],
				`http://127.0.0.1:${ports.workerHealth[i]}`,
				{
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(ports.workerHealth[i]),
				},
			),
		);
	}

	/** The environment of every n8n process and CLI command of the run. */
	n8nEnv(): Record<string, string> {
		const { ports } = this.opts;
		return {
			...this.opts.env,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(ports.postgres),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			// n8n's default pool of 2 connections saturates at 50 deliveries in flight: its health
			// ping (5 s timeout) then waits for a connection, fails, and every request gets 503.
			DB_POSTGRESDB_POOL_SIZE: process.env.QUEUE_DB_POOL_SIZE || '10',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(ports.redis),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_WEBHOOK_URL: `${this.balancerUrl}/`,
			// Activate published workflows during startup: "main is ready" means "webhooks registered".
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		};
	}

	get database(): string {
		return this.opts.database ?? 'n8n_queue';
	}

	/** Ports this run needs that something else holds, as `[what, port]`. */
	async busyPort(): Promise<[string, number] | null> {
		const { ports } = this.opts;
		const all: Array<[string, number]> = [
			['balancer', ports.balancer],
			...this.slots.flatMap(
				(slot): Array<[string, number]> => [
					[`${slot.name} N8N_PORT`, slot.host.port],
					[`${slot.name} N8N_RUNNERS_BROKER_PORT`, slot.host.brokerPort],
				],
			),
			...ports.workerHealth
				.slice(0, this.opts.workers)
				.map((port, i): [string, number] => [`worker-${i + 1} health`, port]),
			['PostgreSQL', ports.postgres],
			['Redis', ports.redis],
		];
		return await n8nProcess.firstBusyPort(all);
	}

	/** PostgreSQL (fresh database) and Redis (emptied). */
	async startServices(): Promise<void> {
		const { ports, runDir, log } = this.opts;
		ensureDebianPackages(log);
		// As root PostgreSQL runs as the postgres user, which cannot enter /root: then its cluster lives in /var/tmp.
		const root =
			typeof process.getuid === 'function' &&
			process.getuid() === 0 &&
			cacheRoot().startsWith('/root')
				? '/var/tmp/n8n-nodes-360dialog'
				: cacheRoot();
		this.postgres = await startPostgres({
			port: ports.postgres,
			dataDir: join(root, 'queue', 'postgres'),
			logFile: join(runDir, 'postgres.log'),
		});
		this.postgres.freshDatabase(this.database);
		this.redis = await startRedis({
			port: ports.redis,
			dataDir: join(cacheRoot(), 'queue', 'redis'),
			logFile: join(runDir, 'redis.log'),
		});
		log(
			`PostgreSQL (pid ${this.postgres.pid}) on 127.0.0.1:${ports.postgres}, Redis (pid ${this.redis.pid}) on 127.0.0.1:${ports.redis}`,
		);
	}

	/**
	 * `n8n import:credentials` and `import:workflow`, then publishes the workflows with the update
	 * n8n's `publish:workflow` makes (WorkflowRepository.publishVersion: active, activeVersionId =
	 * the imported version), in one statement instead of one n8n start per workflow.
	 */
	importAndPublish(files: {
		credentialsFile: string;
		workflowsFile: string;
		workflowIds: string[];
	}): void {
		const main = this.slot('main').host;
		n8nProcess.n8nCli(main, this.n8nEnv(), [
			'import:credentials',
			`--input=${files.credentialsFile}`,
		]);
		n8nProcess.n8nCli(main, this.n8nEnv(), ['import:workflow', `--input=${files.workflowsFile}`]);
		const ids = files.workflowIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
		const published = this.postgres?.sql(
			this.database,
			`WITH published AS (UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId"
			 WHERE w.id IN (${ids}) AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId")
			 RETURNING w.id) SELECT count(*) FROM published`,
		);
		if (Number(published) !== files.workflowIds.length) {
			throw new Error(`published ${published} of ${files.workflowIds.length} workflows`);
		}
	}

	slot(name: string): ProcessSlot {
		const slot = this.slots.find((candidate) => candidate.name === name);
		if (!slot) throw new Error(`no n8n process named ${name}`);
		return slot;
	}

	/** Starts one n8n process and waits until it is ready. */
	async startProcess(name: string): Promise<void> {
		const slot = this.slot(name);
		if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) return;
		const args = slot.role === 'main' ? ['start'] : [slot.role];
		slot.child = n8nProcess.startN8n(
			slot.host,
			{ ...this.n8nEnv(), ...slot.env },
			slot.logFile,
			args,
		);
		await n8nProcess.waitForN8n(
			slot.child,
			slot.healthUrl,
			slot.logFile,
			this.opts.startupTimeoutMs,
			slot.role === 'main'
				? n8nProcess.MAIN_READY_LINE
				: slot.role === 'webhook'
					? 'Webhook listener waiting for requests'
					: null,
		);
	}

	/** Main first (it migrates the database and registers the webhooks), then the others together. */
	async startAll(): Promise<void> {
		await this.startProcess('main');
		await Promise.all(
			this.slots
				.filter((slot) => slot.role !== 'main')
				.map(async (slot) => await this.startProcess(slot.name)),
		);
		await this.startBalancer();
	}

	/** SIGTERM (graceful) or SIGKILL (a crash) to one process group, by the PID this run started. */
	async stopProcess(
		name: string,
		signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
	): Promise<number | undefined> {
		const slot = this.slot(name);
		const child = slot.child;
		if (!child || child.pid === undefined) return undefined;
		if (signal === 'SIGKILL') {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await child.exited;
		} else {
			await n8nProcess.stopN8n(child, this.opts.log);
		}
		slot.child = undefined;
		return child.pid;
	}

	pidOf(name: string): number | undefined {
		return this.slot(name).child?.pid;
	}

	async stopAll(): Promise<void> {
		if (this.balancer) await new Promise((resolve) => this.balancer?.close(resolve));
		this.balancer = undefined;
		this.agent.destroy();
		await Promise.all(this.slots.map(async (slot) => await this.stopProcess(slot.name)));
		await this.redis?.stop();
		await this.postgres?.stop();
	}

	logTail(name: string, lines = 40): string {
		return logTail(this.slot(name).logFile, lines).replace(ANSI_COLOUR, '');
	}

	// ---------------------------------------------------------------- balancer and control API

	private webhookTargets(): number[] {
		return this.slots.filter((slot) => slot.role === 'webhook').map((slot) => slot.host.port);
	}

	private async startBalancer(): Promise<void> {
		const targets = this.webhookTargets();
		for (const port of targets) this.forwarded[port] = 0;
		this.balancer = createServer((req, res) => {
			const url = req.url ?? '/';
			if (url.startsWith('/__cluster/')) {
				void this.control(url, req.method ?? 'GET').then(
					(body) =>
						res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
					(error: Error) =>
						res
							.writeHead(500, { 'content-type': 'application/json' })
							.end(JSON.stringify({ error: error.message })),
				);
				return;
			}
			let port = this.opts.ports.main;
			if (url.startsWith('/webhook/')) {
				port = targets[this.next++ % targets.length];
				this.forwarded[port] += 1;
			}
			const upstream = httpRequest(
				{
					host: '127.0.0.1',
					port,
					method: req.method,
					path: url,
					headers: req.headers,
					agent: this.agent,
				},
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', (error) => {
				this.upstreamErrors[port] = (this.upstreamErrors[port] ?? 0) + 1;
				if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: `balancer: ${error.message}` }));
			});
			req.pipe(upstream);
		});
		await new Promise<void>((resolve, reject) => {
			this.balancer?.once('error', reject);
			this.balancer?.listen(this.opts.ports.balancer, '127.0.0.1', () => resolve());
		});
	}

	/** `/__cluster/<action>[/<process>]` for the tests (they run in another process). */
	private async control(url: string, method: string): Promise<unknown> {
		const [action, name] = url.slice('/__cluster/'.length).split('?')[0].split('/');
		if (method === 'GET' && action === 'status') {
			return {
				forwarded: this.forwarded,
				upstreamErrors: this.upstreamErrors,
				processes: this.slots.map((slot) => ({
					name: slot.name,
					role: slot.role,
					pid: slot.child?.pid ?? null,
					logFile: slot.logFile,
				})),
			};
		}
		if (method === 'POST' && action === 'kill' && name)
			return { pid: await this.stopProcess(name, 'SIGKILL') };
		if (method === 'POST' && action === 'stop' && name)
			return { pid: await this.stopProcess(name, 'SIGTERM') };
		if (method === 'POST' && action === 'start' && name) {
			await this.startProcess(name);
			return { pid: this.pidOf(name) };
		}
		if (method === 'POST' && action === 'reset-counts') {
			for (const port of Object.keys(this.forwarded)) this.forwarded[Number(port)] = 0;
			for (const port of Object.keys(this.upstreamErrors)) delete this.upstreamErrors[Number(port)];
			return { forwarded: this.forwarded };
		}
		if (method === 'GET' && action === 'log' && name) return { text: this.logTail(name, 200) };
		throw new Error(`unknown control request ${method} ${url}`);
	}
}
