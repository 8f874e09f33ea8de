'use strict';
/**
 * One P1/P2 pass under one n8n setting: warm-up, then interleaved rounds of these phases, each a
 * fixed number of requests at a fixed concurrency:
 *
 *   trigger vN   corpus message payloads to the version N trigger (one execution each)
 *   webhook      the same payloads to n8n's bare Webhook node (one execution each)
 *   filtered vN  status payloads to the version N trigger: 200, no execution
 *   401 vN       the same with a wrong secret: 401 before the node normalizes anything, the floor
 *                of what n8n costs to route a request to that trigger and call its webhook()
 */
const { SetupError, seconds } = require('../../scripts/n8n-session.ts');
const { load } = require('./http.js');
const { executions, waitForExecutions, FINISHED, ANY } = require('./n8n-rest.js');
const { IDS, TRIGGER_VERSIONS, TRIGGER_WEBHOOK_IDS, NUMBERS } = require('./workflows.js');

const SECRET_HEADER = 'x-n8n-360dialog-auth';
const WRONG_SECRET = { [SECRET_HEADER]: 'not-the-registered-secret' };

/** The trigger URL and its registered secret per version, read from the simulator's state. */
function registeredTriggers(sim, n8nUrl) {
	return Object.fromEntries(
		TRIGGER_VERSIONS.map((version) => {
			const registered = sim
				.state()
				.numbers.find((n) => n.apiKey === NUMBERS[version].apiKey).webhook;
			const url = `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_IDS[version]}/webhook`;
			const secret = registered.headers[SECRET_HEADER];
			if (registered.url !== url || !secret) {
				throw new SetupError(`trigger v${version} did not register: ${JSON.stringify(registered)}`);
			}
			return [version, { url, auth: { [SECRET_HEADER]: secret } }];
		}),
	);
}

/**
 * Runs the pass; returns { counts, samples: { phase: [{ reqPerS, execPerS? }] } }.
 * `finished` counts the executions so far per workflow id, across passes (n8n keeps them).
 */
async function measurePass({ config, n8nUrl, sim, bodies, finished, log, label }) {
	const triggers = registeredTriggers(sim, n8nUrl);
	const webhookUrl = `${n8nUrl}/webhook/bench-webhook`;

	/** `count` requests, then wait until all their executions finished. */
	const executing = async (name, url, workflowId, count, headers) => {
		const { t0, t1, statuses } = await load(
			url,
			bodies.messages,
			count,
			config.concurrency,
			headers,
		);
		if (statuses[200] !== count)
			throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}`);
		finished[workflowId] = (finished[workflowId] ?? 0) + count;
		const listing = await waitForExecutions(n8nUrl, workflowId, finished[workflowId]);
		if (listing.count !== finished[workflowId]) {
			throw new SetupError(
				`${name}: ${listing.count} executions, expected ${finished[workflowId]}`,
			);
		}
		const recent = await executions(n8nUrl, workflowId, FINISHED, Math.min(count, 100));
		const lastStop = Math.max(...recent.results.map((e) => Date.parse(e.stoppedAt)));
		const end = Math.max(t1, Number.isFinite(lastStop) ? lastStop : Date.now());
		return { reqPerS: count / ((t1 - t0) / 1000), execPerS: count / ((end - t0) / 1000) };
	};
	/** `count` status payloads, every one answered `expected`. */
	const answered = async (name, url, count, headers, expected) => {
		const { t0, t1, statuses } = await load(
			url,
			bodies.statuses,
			count,
			config.concurrency,
			headers,
		);
		if (statuses[expected] !== count) {
			throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}, expected ${expected}`);
		}
		return { reqPerS: count / ((t1 - t0) / 1000) };
	};

	/** counts: { exec, answered: { [version]: n } }: requests per phase. */
	const phasesOf = (counts) => {
		const phases = { webhook: () => executing('webhook', webhookUrl, IDS.webhook, counts.exec) };
		for (const v of TRIGGER_VERSIONS) {
			const { url, auth } = triggers[v];
			const n = counts.answered[v];
			phases[`trigger v${v}`] = () =>
				executing(`trigger v${v}`, url, IDS.trigger[v], counts.exec, auth);
			phases[`filtered v${v}`] = () => answered(`filtered v${v}`, url, n, auth, 200);
			phases[`401 v${v}`] = () => answered(`401 v${v}`, url, n, WRONG_SECRET, 401);
		}
		return phases;
	};

	// Warm-up: every path, JIT and DB warm; not reported. Its rates size the rounds so that a phase
	// lasts about BENCH_PHASE_SECONDS whatever the setting: the executing phases (all the same
	// size) from the Webhook node's rate, each version's filtered and 401 phases from its 401 rate.
	let t = Date.now();
	const warm = {};
	const warmCounts = {
		exec: config.warmup,
		answered: Object.fromEntries(TRIGGER_VERSIONS.map((v) => [v, config.warmup])),
	};
	for (const [name, phase] of Object.entries(phasesOf(warmCounts))) {
		warm[name] = await phase();
	}
	const clamp = (value, min, max) => Math.max(min, Math.min(max, Math.round(value)));
	const counts = {
		exec: clamp(warm.webhook.execPerS * config.phaseSeconds, config.requests, 2000),
		answered: Object.fromEntries(
			TRIGGER_VERSIONS.map((v) => [
				v,
				clamp(warm[`401 v${v}`].reqPerS * config.phaseSeconds, config.filteredRequests, 5000),
			]),
		),
	};
	log(
		`[${label}] warm-up done (${seconds(Date.now() - t)}): ${counts.exec} requests per executing phase, ${TRIGGER_VERSIONS.map((v) => `${counts.answered[v]} per filtered/401 v${v} phase`).join(', ')}`,
	);

	// Interleaved rounds; the order of the phases rotates every round (and reverses every other
	// round) to cancel drift.
	const phases = phasesOf(counts);
	const names = Object.keys(phases);
	const samples = Object.fromEntries(names.map((name) => [name, []]));
	t = Date.now();
	for (let round = 0; round < config.rounds; round++) {
		const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
		if (round % 2 === 1) order.reverse();
		const line = [];
		for (const name of order) {
			const result = await phases[name]();
			samples[name].push(result);
			line.push(
				`${name} ${result.execPerS ? `${result.execPerS.toFixed(1)} exec/s` : `${result.reqPerS.toFixed(0)} req/s`}`,
			);
		}
		log(`[${label}] round ${round + 1}/${config.rounds}: ${line.join(', ')}`);
	}
	log(`[${label}] rounds done (${seconds(Date.now() - t)})`);

	// Filtered and rejected traffic must not have started a single execution; nothing may fail.
	for (const v of TRIGGER_VERSIONS) {
		const all = await executions(n8nUrl, IDS.trigger[v], ANY);
		if (all.count !== finished[IDS.trigger[v]]) {
			throw new SetupError(
				`trigger v${v} has ${all.count} executions, expected ${finished[IDS.trigger[v]]}: filtered traffic executed`,
			);
		}
	}
	for (const id of [...Object.values(IDS.trigger), IDS.webhook]) {
		const failed = await executions(n8nUrl, id, ['error', 'crashed', 'canceled']);
		if (failed.count > 0) throw new SetupError(`${id}: ${failed.count} executions failed`);
	}
	return { counts, samples };
}

module.exports = { measurePass };
