#!/usr/bin/env node
'use strict';
/**
 * End-to-end benchmark (`npm run bench:e2e`): this package inside ONE real n8n, measured against
 * n8n's own nodes in the same run. See bench/e2e/README.md for what each figure means.
 *
 *   P1  throughput of the 360dialog Trigger vs n8n's bare Webhook node (respond immediately), same
 *       corpus message payloads, same concurrency, interleaved rounds; target >= 0.95x.
 *   P2  the same trigger (Events = All Messages): status payloads it filters out (200, no
 *       execution) vs message payloads that execute; target >= 10x.
 *   P4  360dialog Normalize vs a hand-written Code node flattening (bench/e2e/flatten-code-node.js)
 *       on 10,000 stored payloads in one execution, each node's own executionTime; target >= 3x.
 *
 * Steps: ensure the n8n host (scripts/n8n-host.sh), npm run build (unless BENCH_SKIP_BUILD=1 or
 * --no-build), npm pack + install into a fresh user folder, start the 360dialog simulator in this
 * process, import credentials/workflows, publish, start n8n, measure, print, stop everything and
 * delete the run folder (kept with BENCH_KEEP=1 or on failure).
 *
 * Env: BENCH_N8N_PORT (5698), BENCH_BROKER_PORT (5699), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
 *      BENCH_CONCURRENCY (8), BENCH_ROUNDS (6), BENCH_REQUESTS (50 executing requests per round and
 *      side), BENCH_FILTERED_REQUESTS (300 per round), BENCH_WARMUP (40), BENCH_P4_ITEMS (10000),
 *      BENCH_P4_RUNS (4), BENCH_STARTUP_TIMEOUT_MS (180000), DIALOG360_CORPUS.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
// The n8n-host lifecycle this runner shares with the e2e runner.
const n8nProcess = require('../../scripts/n8n-process.js');
const { REPO, SetupError, seconds, sleep, tail } = n8nProcess;

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
	// P1/P2 passes, in order; P4 runs in the last one. 'default' = n8n's own default engine.
	engines: (process.env.BENCH_ENGINES || 'legacy,default').split(',').map((e) => e.trim()),
	corpus: process.env.DIALOG360_CORPUS || path.resolve(REPO, '..', 'shared', 'corpus'),
};
const TARGETS = { p1: 0.95, p2: 10, p4: 3 };

const { startSimulator } = require('../../test/simulator/simulator.js');

const log = (message) => console.log(`[bench:e2e] ${message}`);
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// ------------------------------------------------------------------ corpus

function loadCorpus() {
	const manifestFile = path.join(config.corpus, 'manifest.json');
	if (!fs.existsSync(manifestFile)) {
		throw new SetupError(
			`no corpus at ${config.corpus} (manifest.json missing): set DIALOG360_CORPUS`,
		);
	}
	const files = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).files;
	const read = (file) => JSON.parse(fs.readFileSync(path.join(config.corpus, file.path), 'utf8'));
	const plain = (f) => f.expect.errors === 0 && f.expect.other === 0 && f.expect.events === 0;
	const messaging = files.filter((f) => f.format === 'cloud' || f.format === 'onprem');
	const messages = messaging.filter((f) => plain(f) && f.expect.messages > 0 && !f.expect.statuses);
	const statuses = messaging.filter((f) => plain(f) && f.expect.statuses > 0 && !f.expect.messages);
	const flat = messaging.filter((f) => plain(f) && f.expect.messages + f.expect.statuses > 0);
	const expected = (list) => list.reduce((n, f) => n + f.expect.messages + f.expect.statuses, 0);
	return {
		messages: messages.map(read),
		statuses: statuses.map(read),
		flat: flat.map(read),
		flatEvents: flat.map((f) => f.expect.messages + f.expect.statuses),
		counts: { messages: messages.length, statuses: statuses.length, flat: flat.length },
		expectedFlat: expected(flat),
	};
}

/** With the built package: every message payload must start an execution, no status payload may. */
function checkMixes(corpus) {
	const { normalize, messagingFilter } = require(path.join(REPO, 'dist/index.js'));
	const keep = messagingFilter({ events: ['group:messages'] });
	corpus.messages.forEach((body, i) => {
		if (!normalize(body).some(keep))
			throw new SetupError(`message payload #${i} would not execute`);
	});
	corpus.statuses.forEach((body, i) => {
		if (normalize(body).some(keep)) throw new SetupError(`status payload #${i} would execute`);
	});
}

// ------------------------------------------------------------------ workflows

const IDS = {
	trigger: 'benchTrigger3601',
	webhook: 'benchWebhook3601',
	p4a: 'benchP4NormFirst',
	p4b: 'benchP4CodeFirst',
	credential: 'benchCred360Clou',
};
const TRIGGER_WEBHOOK_ID = '7b1e0b9a-3c0d-4d7e-9a51-b3ac00000001';
const NUMBER = {
	apiKey: 'bench-cloud-api-key',
	kind: 'cloud',
	phoneNumberId: '106540352242922',
	displayPhoneNumber: '15550783881',
	wabaId: '102290129340398',
};

const node = (id, name, type, typeVersion, position, parameters, extra = {}) => ({
	id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position,
	parameters,
	...extra,
});
const link = (to) => ({ main: [to.map((name) => ({ node: name, type: 'main', index: 0 }))] });
const workflow = (id, name, nodes, connections) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	// n8n's defaults otherwise: every execution is saved (SQLite), regular (main-process) execution.
	settings: { executionOrder: 'v1' },
	pinData: {},
});
const webhookNode = (id, webhookPath) =>
	node(
		id,
		'Webhook',
		'n8n-nodes-base.webhook',
		2.1,
		[0, 0],
		{ httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
		{ webhookId: `7b1e0b9a-3c0d-4d7e-9a51-b3ac${String(id).padStart(8, '0')}` },
	);
const noOp = (id) => node(id, 'No Operation', 'n8n-nodes-base.noOp', 1, [220, 0], {});

function buildWorkflows(flatMix) {
	const trigger = workflow(
		IDS.trigger,
		'bench: 360dialog Trigger (All Messages) -> NoOp',
		[
			node(
				1,
				'360dialog Trigger',
				'n8n-nodes-360dialog.dialog360Trigger',
				1,
				[0, 0],
				{
					registrationMode: 'replace',
					authentication: 'generatedHeader',
					events: ['group:messages'],
					dedupe: false,
					options: {},
				},
				{
					webhookId: TRIGGER_WEBHOOK_ID,
					credentials: { dialog360Api: { id: IDS.credential, name: '360dialog (bench)' } },
				},
			),
			noOp(2),
		],
		{ '360dialog Trigger': link(['No Operation']) },
	);
	const webhook = workflow(
		IDS.webhook,
		'bench: Webhook (respond immediately) -> NoOp',
		[webhookNode(11, 'bench-webhook'), noOp(12)],
		{ Webhook: link(['No Operation']) },
	);

	const flattenSource = fs.readFileSync(path.join(__dirname, 'flatten-code-node.js'), 'utf8');
	const flattenCode = `${flattenSource.slice(0, flattenSource.lastIndexOf('// ---- end of the Code node ----'))}return flattenItems($input.all());\n`;
	const buildCode = [
		'// Builds the stored payloads: the corpus mix, repeated, one webhook body per item.',
		`const mix = JSON.parse(${JSON.stringify(JSON.stringify(flatMix))});`,
		`const count = ${config.p4Items};`,
		'const out = new Array(count);',
		'for (let i = 0; i < count; i++) out[i] = { json: { body: mix[i % mix.length] } };',
		'return out;',
	].join('\n');
	// Two copies that differ only in which branch n8n runs first (v1 order: top branch first).
	const p4 = (id, webhookPath, normalizeFirst, base) =>
		workflow(
			id,
			`bench: P4 ${normalizeFirst ? 'Normalize' : 'Code'} branch first`,
			[
				webhookNode(base + 1, webhookPath),
				node(base + 2, 'Build Payloads', 'n8n-nodes-base.code', 2, [220, 0], {
					mode: 'runOnceForAllItems',
					language: 'javaScript',
					jsCode: buildCode,
				}),
				node(
					base + 3,
					'360dialog Normalize',
					'n8n-nodes-360dialog.dialog360Normalize',
					1,
					[440, normalizeFirst ? -100 : 100],
					{ bodyField: 'body', format: 'auto', events: ['*'], options: {} },
				),
				node(
					base + 4,
					'Code Flatten',
					'n8n-nodes-base.code',
					2,
					[440, normalizeFirst ? 100 : -100],
					{
						mode: 'runOnceForAllItems',
						language: 'javaScript',
						jsCode: flattenCode,
					},
				),
			],
			{
				Webhook: link(['Build Payloads']),
				'Build Payloads': link(
					normalizeFirst
						? ['360dialog Normalize', 'Code Flatten']
						: ['Code Flatten', '360dialog Normalize'],
				),
			},
		);
	return [
		trigger,
		webhook,
		p4(IDS.p4a, 'bench-p4-a', true, 20),
		p4(IDS.p4b, 'bench-p4-b', false, 30),
	];
}

// ------------------------------------------------------------------ n8n process

/** `default` leaves N8N_EXPRESSION_ENGINE unset (n8n 2.40's default is 'vm': isolated-vm). */
const engineLabel = (engine) => (engine === 'default' ? 'default (vm)' : engine);

function n8nEnv(engine = 'default') {
	return {
		...(engine === 'default' ? {} : { N8N_EXPRESSION_ENGINE: engine }),
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false', // activate (and register) during startup
		N8N_WEBHOOK_URL: `http://localhost:${config.n8nPort}/`,
	};
}

/** For `n8n start`: 'default' also removes an N8N_EXPRESSION_ENGINE inherited from the shell. */
const startEnv = (engine) => ({ N8N_EXPRESSION_ENGINE: undefined, ...n8nEnv(engine) });

// ------------------------------------------------------------------ HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
				timeout: 120000,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout POST ${url}`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** `count` POSTs with `concurrency` in flight; bodies[i % n]. Returns timing and status counts. */
async function load(url, bodies, count, concurrency, headers) {
	let next = 0;
	const statuses = {};
	const t0 = Date.now();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const status = await post(url, bodies[i % bodies.length], headers);
			statuses[status] = (statuses[status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return { t0, t1: Date.now(), statuses };
}

// n8n REST API as the owner (set up on first use, like test/e2e/harness.ts does).
const OWNER = {
	email: 'bench-owner@example.com',
	firstName: 'Bench',
	lastName: 'Owner',
	password: 'Bench-owner-password-1',
};
const BROWSER_ID = 'n8n-nodes-360dialog-bench';
let cookie;

async function rest(n8nUrl, method, restPath, body) {
	const headers = { 'browser-id': BROWSER_ID, 'content-type': 'application/json' };
	if (!cookie) {
		const cookieOf = (res) => /n8n-auth=[^;]+/.exec(res.headers.get('set-cookie') || '')?.[0];
		let res = await fetch(`${n8nUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify(OWNER),
		});
		cookie = res.status === 200 ? cookieOf(res) : undefined;
		if (!cookie) {
			res = await fetch(`${n8nUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			cookie = cookieOf(res);
		}
		if (!cookie) throw new SetupError(`n8n owner setup/login failed (${res.status})`);
	}
	const res = await fetch(`${n8nUrl}/rest/${restPath}`, {
		method,
		headers: { ...headers, cookie },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status < 200 || res.status >= 300) {
		throw new SetupError(`n8n ${method} /rest/${restPath} -> ${res.status} ${text.slice(0, 300)}`);
	}
	return JSON.parse(text).data;
}

function executions(n8nUrl, workflowId, status, limit = 1) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	return rest(n8nUrl, 'GET', `executions?filter=${filter}&limit=${limit}`);
}

/** Waits (bounded) until `workflowId` has `expected` finished executions; returns the listing. */
async function waitForExecutions(n8nUrl, workflowId, expected, timeoutMs = 180000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = await executions(n8nUrl, workflowId, ['success', 'error', 'crashed', 'canceled']);
		if (done.count >= expected) return done;
		if (Date.now() > deadline) {
			throw new SetupError(
				`${workflowId}: ${done.count} of ${expected} executions after ${seconds(timeoutMs)}`,
			);
		}
		await sleep(50);
	}
}

// ------------------------------------------------------------------ measurements

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

		let t = Date.now();
		const hostPaths = n8nProcess.ensureHost();
		log(
			`n8n ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION} ready (${seconds(Date.now() - t)})`,
		);
		if (!config.skipBuild) {
			t = Date.now();
			n8nProcess.buildPackage();
			log(`built (${seconds(Date.now() - t)})`);
		}

		const corpus = loadCorpus();
		checkMixes(corpus);
		log(
			`corpus ${config.corpus}: ${corpus.counts.messages} message payloads, ${corpus.counts.statuses} status payloads, ${corpus.counts.flat} for P4`,
		);

		const folders = n8nProcess.createRunFolder('n8n-360dialog-bench-');
		runDir = folders.runDir;
		const { userFolder } = folders;
		const host = { userFolder, port: config.n8nPort, brokerPort: config.brokerPort };
		logFile = path.join(runDir, 'n8n.log');
		t = Date.now();
		const { pkg } = n8nProcess.packAndInstall(runDir, userFolder);
		log(
			`packed and installed ${pkg.name}@${pkg.version} into ${runDir} (${seconds(Date.now() - t)})`,
		);

		sim = await startSimulator({ port: 0, numbers: [NUMBER], partners: [] });
		const n8nUrl = `http://localhost:${config.n8nPort}`;
		const workflowList = buildWorkflows(corpus.flat);
		const credentialsFile = path.join(runDir, 'credentials.json');
		const workflowsFile = path.join(runDir, 'workflows.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([
				{
					id: IDS.credential,
					name: '360dialog (bench)',
					type: 'dialog360Api',
					data: { apiKey: NUMBER.apiKey, environment: 'custom', baseUrl: sim.url },
				},
			]),
		);
		fs.writeFileSync(workflowsFile, JSON.stringify(workflowList));
		t = Date.now();
		n8nProcess.importAndPublish(host, n8nEnv(), {
			credentialsFile,
			workflowsFile,
			workflowIds: workflowList.map((wf) => wf.id),
		});
		log(`imported and published ${workflowList.length} workflows (${seconds(Date.now() - t)})`);

		const messageBodies = corpus.messages.map((b) => Buffer.from(JSON.stringify(b)));
		const statusBodies = corpus.statuses.map((b) => Buffer.from(JSON.stringify(b)));
		// Executions so far per workflow (the finished count each phase waits for).
		const finished = { [IDS.trigger]: 0, [IDS.webhook]: 0 };
		const passes = [];
		// One pass of P1/P2 per expression engine, restarting the same n8n (same user folder) in
		// between; the last pass (n8n's default engine) also runs P4.
		for (const [index, engine] of config.engines.entries()) {
			if (index > 0) await n8nProcess.stopN8n(n8n, log);
			t = Date.now();
			logFile = path.join(runDir, `n8n-${engine}.log`);
			n8n = n8nProcess.startN8n(host, startEnv(engine), logFile);
			cookie = undefined;
			await n8nProcess.waitForN8n(n8n, n8nUrl, logFile, config.startupTimeoutMs);
			log(
				`n8n started on ${n8nUrl}, expression engine ${engineLabel(engine)} (${seconds(Date.now() - t)})`,
			);

			const registered = sim.state().numbers.find((n) => n.apiKey === NUMBER.apiKey).webhook;
			const secret = registered.headers['x-n8n-360dialog-auth'];
			const triggerUrl = `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
			if (registered.url !== triggerUrl || !secret) {
				throw new SetupError(
					`the trigger did not register with the simulator: ${JSON.stringify(registered)}`,
				);
			}
			const authHeaders = { 'x-n8n-360dialog-auth': secret };
			const webhookUrl = `${n8nUrl}/webhook/bench-webhook`;

			/** One executing phase: `count` requests, then wait until all their executions finished. */
			const executingPhase = async (name, url, workflowId, count, headers) => {
				const { t0, t1, statuses } = await load(
					url,
					messageBodies,
					count,
					config.concurrency,
					headers,
				);
				if (statuses[200] !== count)
					throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}`);
				finished[workflowId] += count;
				const listing = await waitForExecutions(n8nUrl, workflowId, finished[workflowId]);
				const recent = await executions(
					n8nUrl,
					workflowId,
					['success', 'error', 'crashed', 'canceled'],
					Math.min(count, 100),
				);
				const lastStop = Math.max(...recent.results.map((e) => Date.parse(e.stoppedAt)));
				const end = Math.max(t1, Number.isFinite(lastStop) ? lastStop : Date.now());
				if (listing.count !== finished[workflowId]) {
					throw new SetupError(
						`${name}: ${listing.count} executions, expected ${finished[workflowId]}`,
					);
				}
				return { reqPerS: count / ((t1 - t0) / 1000), execPerS: count / ((end - t0) / 1000) };
			};
			const filteredPhase = async (count, headers, expected) => {
				const { t0, t1, statuses } = await load(
					triggerUrl,
					statusBodies,
					count,
					config.concurrency,
					headers,
				);
				if (statuses[expected] !== count)
					throw new SetupError(
						`status payloads: answers ${JSON.stringify(statuses)}, expected ${expected}`,
					);
				return { reqPerS: count / ((t1 - t0) / 1000) };
			};

			// Warm-up: every path, JIT and DB warm; not reported. Its rates size the rounds so that
			// every phase lasts about BENCH_PHASE_SECONDS whatever the engine.
			t = Date.now();
			const warm = {
				trigger: await executingPhase(
					'warm-up trigger',
					triggerUrl,
					IDS.trigger,
					config.warmup,
					authHeaders,
				),
				webhook: await executingPhase('warm-up webhook', webhookUrl, IDS.webhook, config.warmup),
				filtered: await filteredPhase(config.warmup, authHeaders, 200),
			};
			const clamp = (value, min, max) => Math.max(min, Math.min(max, Math.round(value)));
			const execCount = clamp(
				Math.min(warm.trigger.execPerS, warm.webhook.execPerS) * config.phaseSeconds,
				config.requests,
				2000,
			);
			const filteredCount = clamp(
				warm.filtered.reqPerS * config.phaseSeconds,
				config.filteredRequests,
				5000,
			);
			log(
				`warm-up done (${seconds(Date.now() - t)}): ${execCount} executing and ${filteredCount} filtered/rejected requests per phase`,
			);

			// Interleaved rounds; the order of the phases rotates every round to cancel drift.
			const samples = {
				engine,
				execCount,
				filteredCount,
				trigger: [],
				webhook: [],
				filtered: [],
				rejected: [],
			};
			passes.push(samples);
			const wrongSecret = { 'x-n8n-360dialog-auth': 'not-the-registered-secret' };
			const phases = {
				trigger: () => executingPhase('trigger', triggerUrl, IDS.trigger, execCount, authHeaders),
				webhook: () => executingPhase('webhook', webhookUrl, IDS.webhook, execCount),
				filtered: () => filteredPhase(filteredCount, authHeaders, 200),
				rejected: () => filteredPhase(filteredCount, wrongSecret, 401),
			};
			const names = Object.keys(phases);
			t = Date.now();
			for (let round = 0; round < config.rounds; round++) {
				const line = [];
				const order = [
					...names.slice(round % names.length),
					...names.slice(0, round % names.length),
				];
				if (round % 2 === 1) order.reverse();
				for (const phase of order) {
					const result = await phases[phase]();
					samples[phase].push(result);
					line.push(
						`${phase} ${result.execPerS ? `${result.execPerS.toFixed(1)} exec/s` : `${result.reqPerS.toFixed(0)} req/s`}`,
					);
				}
				log(`[${engineLabel(engine)}] round ${round + 1}/${config.rounds}: ${line.join(', ')}`);
			}
			log(`P1/P2 rounds done (${seconds(Date.now() - t)})`);
			// Filtered traffic must not have started a single execution.
			const triggerAll = await executions(n8nUrl, IDS.trigger, [
				'success',
				'error',
				'crashed',
				'canceled',
				'running',
				'new',
				'waiting',
			]);
			if (triggerAll.count !== finished[IDS.trigger]) {
				throw new SetupError(
					`trigger has ${triggerAll.count} executions, expected ${finished[IDS.trigger]}: filtered traffic executed`,
				);
			}
			for (const id of [IDS.trigger, IDS.webhook]) {
				const failed = await executions(n8nUrl, id, ['error', 'crashed', 'canceled']);
				if (failed.count > 0) throw new SetupError(`${id}: ${failed.count} executions failed`);
			}
		}

		// P4: one execution = 10,000 payloads through both nodes; alternate which branch runs first.
		t = Date.now();
		const flatten = require(
			require.resolve('flatted', { paths: [path.dirname(hostPaths.N8N_BIN)] }),
		);
		const p4 = { normalize: [], code: [], items: null, runs: [] };
		let p4Done = { [IDS.p4a]: 0, [IDS.p4b]: 0 };
		for (let i = 0; i < config.p4Runs; i++) {
			const normalizeFirst = i % 2 === 0;
			const id = normalizeFirst ? IDS.p4a : IDS.p4b;
			const status = await post(
				`${n8nUrl}/webhook/${normalizeFirst ? 'bench-p4-a' : 'bench-p4-b'}`,
				Buffer.from('{"go":true}'),
			);
			if (status !== 200) throw new SetupError(`P4 webhook answered ${status}`);
			p4Done[id] += 1;
			const listing = await waitForExecutions(n8nUrl, id, p4Done[id], 300000);
			const execution = await rest(n8nUrl, 'GET', `executions/${listing.results[0].id}`);
			if (execution.status !== 'success')
				throw new SetupError(`P4 execution ${execution.id}: ${execution.status}`);
			const runData = flatten.parse(execution.data).resultData.runData;
			const normalizeRun = runData['360dialog Normalize'][0];
			const codeRun = runData['Code Flatten'][0];
			const items = {
				input: runData['Build Payloads'][0].data.main[0].length,
				normalize: normalizeRun.data.main[0].length,
				code: codeRun.data.main[0].length,
			};
			p4.items = items;
			p4.normalize.push(normalizeRun.executionTime);
			p4.code.push(codeRun.executionTime);
			p4.runs.push({
				normalizeFirst,
				normalizeMs: normalizeRun.executionTime,
				codeMs: codeRun.executionTime,
				buildMs: runData['Build Payloads'][0].executionTime,
			});
			log(
				`P4 run ${i + 1}/${config.p4Runs} (${normalizeFirst ? 'Normalize' : 'Code'} first): Normalize ${normalizeRun.executionTime} ms -> ${items.normalize} items, Code ${codeRun.executionTime} ms -> ${items.code} items (input ${items.input})`,
			);
		}
		log(`P4 done (${seconds(Date.now() - t)})`);
		const expectedP4 = Array.from(
			{ length: config.p4Items },
			(_, i) => corpus.flatEvents[i % corpus.flatEvents.length],
		).reduce((a, b) => a + b, 0);

		// ------------------------------------------------------------ report
		const logText = fs.readFileSync(logFile, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
		const runnerMode = process.env.N8N_RUNNERS_MODE
			? `N8N_RUNNERS_MODE=${process.env.N8N_RUNNERS_MODE}`
			: 'internal (n8n default; N8N_RUNNERS_MODE unset)';
		const runnerSeen = /Registered runner "JS Task Runner"/.test(logText);
		const med = (list, key) => median(list.map((x) => x[key]));
		const verdict = (ok) => (ok ? 'MEETS' : 'MISSES');
		const figures = passes.map((pass) => {
			const trig = { exec: med(pass.trigger, 'execPerS'), req: med(pass.trigger, 'reqPerS') };
			const hook = { exec: med(pass.webhook, 'execPerS'), req: med(pass.webhook, 'reqPerS') };
			const filt = med(pass.filtered, 'reqPerS');
			const rej = med(pass.rejected, 'reqPerS');
			return {
				rej,
				pass,
				trig,
				hook,
				filt,
				p1: trig.exec / hook.exec,
				p1req: trig.req / hook.req,
				p2: filt / trig.exec,
				p2req: filt / trig.req,
			};
		});
		const normMs = p4.normalize.length ? median(p4.normalize) : NaN;
		const codeMs = p4.code.length ? median(p4.code) : NaN;
		const p4x = codeMs / normMs;
		const cpu = os.cpus();
		const table = (data) => {
			const widths = data[0].map((_, c) => Math.max(...data.map((r) => String(r[c]).length)));
			return data
				.map((r, i) => {
					const line = r
						.map((v, c) => String(v).padEnd(widths[c]))
						.join('  ')
						.trimEnd();
					return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
				})
				.join('\n');
		};
		const abs = [['absolute (medians)', 'engine', 'executions/s', 'requests/s', 'samples']];
		const rows = [['figure', 'engine', 'measured', 'target', '']];
		for (const f of figures) {
			const engine = engineLabel(f.pass.engine);
			abs.push(
				[
					'360dialog Trigger, message payloads',
					engine,
					f.trig.exec.toFixed(1),
					f.trig.req.toFixed(1),
					`${f.pass.trigger.length} x ${f.pass.execCount}`,
				],
				[
					'n8n Webhook node, same payloads',
					engine,
					f.hook.exec.toFixed(1),
					f.hook.req.toFixed(1),
					`${f.pass.webhook.length} x ${f.pass.execCount}`,
				],
				[
					'360dialog Trigger, status payloads (filtered)',
					engine,
					'0 (none)',
					f.filt.toFixed(1),
					`${f.pass.filtered.length} x ${f.pass.filteredCount}`,
				],
				[
					'360dialog Trigger, wrong secret (401, floor)',
					engine,
					'0 (none)',
					f.rej.toFixed(1),
					`${f.pass.rejected.length} x ${f.pass.filteredCount}`,
				],
			);
			rows.push(
				[
					'P1 trigger / webhook, executions/s',
					engine,
					`${f.p1.toFixed(2)}x`,
					`>= ${TARGETS.p1}x`,
					verdict(f.p1 >= TARGETS.p1),
				],
				['P1 trigger / webhook, requests/s', engine, `${f.p1req.toFixed(2)}x`, '(info)', ''],
				[
					'P2 filtered req/s / executing exec/s',
					engine,
					`${f.p2.toFixed(1)}x`,
					`>= ${TARGETS.p2}x`,
					verdict(f.p2 >= TARGETS.p2),
				],
				['P2 filtered / executing, requests/s', engine, `${f.p2req.toFixed(1)}x`, '(info)', ''],
				[
					'filtered / rejected (401), requests/s',
					engine,
					`${(f.filt / f.rej).toFixed(2)}x`,
					'(info)',
					'',
				],
			);
		}
		if (p4.normalize.length) {
			rows.push([
				'P4 Code node ms / Normalize ms',
				engineLabel(passes[passes.length - 1]?.engine ?? 'default'),
				`${p4x.toFixed(1)}x`,
				`>= ${TARGETS.p4}x`,
				verdict(p4x >= TARGETS.p4),
			]);
		}
		console.log('\n=== n8n-nodes-360dialog e2e benchmark ===');
		console.log(`date        ${new Date().toISOString()}`);
		console.log(
			`machine     ${cpu[0].model}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
		);
		console.log(
			`n8n         ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION}; SQLite, every execution saved (default), regular mode, one n8n restarted per engine`,
		);
		console.log(
			`Code node   JS task runner: ${runnerMode}${runnerSeen ? ', registered' : ' (no runner registration in the log)'}`,
		);
		console.log(
			`client      Node ${process.version} in this process, same machine, keep-alive, concurrency ${config.concurrency}`,
		);
		console.log(`package     ${pkg.name}@${pkg.version}`);
		console.log(
			`payloads    P1: ${corpus.counts.messages} corpus message payloads; P2: ${corpus.counts.statuses} status payloads; P4: ${config.p4Items} bodies from ${corpus.counts.flat} payloads`,
		);
		console.log('');
		console.log(table(abs));
		if (p4.normalize.length) {
			console.log('');
			console.log(
				`P4: ${config.p4Items} payloads in one execution -> Normalize ${p4.items.normalize} items, Code ${p4.items.code} items (manifest expects ${expectedP4})`,
			);
			console.log(
				`    executionTime: Normalize median ${normMs} ms (${p4.normalize.join(', ')}); Code node median ${codeMs} ms (${p4.code.join(', ')})`,
			);
			console.log(
				`    Build Payloads (Code node, not measured): ${p4.runs.map((r) => r.buildMs).join(', ')} ms`,
			);
		}
		console.log('');
		console.log(table(rows));
		console.log('');
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
