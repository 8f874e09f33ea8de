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
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { SetupError, seconds, type Log } from '../../scripts/n8n-session';
import type { TriggerVersion } from '../../test/e2e/workflows';
import type { Simulator } from '../../test/simulator/simulator';
import type { Headers } from '../../test/simulator/types';
import type { BenchConfig } from './config';
import { load } from './http';
import { ANY, executions, FINISHED, waitForExecutions } from './n8n-rest';
import { IDS, NUMBERS, perVersion, TRIGGER_VERSIONS, TRIGGER_WEBHOOK_IDS } from './workflows';

/** The header the trigger checks (x-n8n-360dialog-auth), with a value it never generated. */
const WRONG_SECRET = { [GENERATED_HEADER_NAME]: 'not-the-registered-secret' };

/** One phase of one round: requests/s, and executions/s for the phases that execute. */
export interface Sample {
	reqPerS: number;
	execPerS?: number;
}

/** Requests per phase: every executing phase the same, the filtered and 401 phases per version. */
export interface PhaseCounts {
	exec: number;
	answered: Record<TriggerVersion, number>;
}

export interface PassResult {
	counts: PhaseCounts;
	/** Per phase name ('webhook', 'trigger v1', 'filtered v1', '401 v1', ...), one sample per round. */
	samples: Record<string, Sample[]>;
}

/** The request bodies: corpus message payloads and status payloads, serialised once. */
export interface Bodies {
	messages: Buffer[];
	statuses: Buffer[];
}

export interface PassOptions {
	config: BenchConfig;
	n8nUrl: string;
	sim: Simulator;
	bodies: Bodies;
	/** Executions so far per workflow id, across passes (n8n keeps them). */
	finished: Record<string, number>;
	log: Log;
	label: string;
}

type Phases = Record<string, () => Promise<Sample>>;

/** The trigger URL and its registered secret per version, read from the simulator's state. */
function registeredTriggers(sim: Simulator, n8nUrl: string) {
	return perVersion((version) => {
		const registered = sim.number(NUMBERS[version].apiKey)?.webhook;
		const url = `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_IDS[version]}/webhook`;
		const secret = registered?.headers[GENERATED_HEADER_NAME];
		if (!registered || registered.url !== url || !secret) {
			throw new SetupError(`trigger v${version} did not register: ${JSON.stringify(registered)}`);
		}
		return { url, auth: { [GENERATED_HEADER_NAME]: secret } };
	});
}

/** The phases of a pass, each sending the number of requests `counts` gives it. */
function phasesOf({ config, n8nUrl, sim, bodies, finished }: PassOptions, counts: PhaseCounts): Phases {
	const triggers = registeredTriggers(sim, n8nUrl);
	/** `count` requests, then wait until all their executions finished. */
	const executing = async (name: string, url: string, workflowId: string, headers?: Headers) => {
		const count = counts.exec;
		const { t0, t1, statuses } = await load(url, bodies.messages, count, config.concurrency, headers);
		if (statuses[200] !== count) throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}`);
		finished[workflowId] = (finished[workflowId] ?? 0) + count;
		const listing = await waitForExecutions(n8nUrl, workflowId, finished[workflowId]);
		if (listing.count !== finished[workflowId]) {
			throw new SetupError(`${name}: ${listing.count} executions, expected ${finished[workflowId]}`);
		}
		const recent = await executions(n8nUrl, workflowId, FINISHED, Math.min(count, 100));
		const lastStop = Math.max(...recent.results.map((e) => Date.parse(e.stoppedAt)));
		const end = Math.max(t1, Number.isFinite(lastStop) ? lastStop : Date.now());
		return { reqPerS: count / ((t1 - t0) / 1000), execPerS: count / ((end - t0) / 1000) };
	};
	/** `count` status payloads, every one answered `expected`. */
	const answered = async (name: string, url: string, count: number, headers: Headers, expected: number) => {
		const { t0, t1, statuses } = await load(url, bodies.statuses, count, config.concurrency, headers);
		if (statuses[expected] !== count) {
			throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}, expected ${expected}`);
		}
		return { reqPerS: count / ((t1 - t0) / 1000) };
	};
	const phases: Phases = { webhook: () => executing('webhook', `${n8nUrl}/webhook/bench-webhook`, IDS.webhook) };
	for (const v of TRIGGER_VERSIONS) {
		const { url, auth } = triggers[v];
		const n = counts.answered[v];
		phases[`trigger v${v}`] = () => executing(`trigger v${v}`, url, IDS.trigger[v], auth);
		phases[`filtered v${v}`] = () => answered(`filtered v${v}`, url, n, auth, 200);
		phases[`401 v${v}`] = () => answered(`401 v${v}`, url, n, WRONG_SECRET, 401);
	}
	return phases;
}

/**
 * Warm-up: every path, JIT and DB warm; not reported. Its rates size the rounds so that a phase
 * lasts about BENCH_PHASE_SECONDS whatever the setting: the executing phases (all the same size)
 * from the Webhook node's rate, each version's filtered and 401 phases from its 401 rate.
 */
async function warmUp(options: PassOptions): Promise<PhaseCounts> {
	const { config, log, label } = options;
	const t = Date.now();
	const warm: Record<string, Sample> = {};
	const warmCounts = { exec: config.warmup, answered: perVersion(() => config.warmup) };
	for (const [name, phase] of Object.entries(phasesOf(options, warmCounts))) {
		warm[name] = await phase();
	}
	const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(value)));
	const counts: PhaseCounts = {
		exec: clamp((warm.webhook.execPerS ?? 0) * config.phaseSeconds, config.requests, 2000),
		answered: perVersion((v) =>
			clamp(warm[`401 v${v}`].reqPerS * config.phaseSeconds, config.filteredRequests, 5000),
		),
	};
	log(
		`[${label}] warm-up done (${seconds(Date.now() - t)}): ${counts.exec} requests per executing phase, ${TRIGGER_VERSIONS.map((v) => `${counts.answered[v]} per filtered/401 v${v} phase`).join(', ')}`,
	);
	return counts;
}

/** Interleaved rounds; the order of the phases rotates every round (and reverses every other round) to cancel drift. */
async function runRounds(phases: Phases, { config, log, label }: PassOptions): Promise<Record<string, Sample[]>> {
	const names = Object.keys(phases);
	const samples = Object.fromEntries(names.map((name): [string, Sample[]] => [name, []]));
	const t = Date.now();
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
	return samples;
}

/** Filtered and rejected traffic must not have started a single execution; nothing may fail. */
async function checkExecutions(n8nUrl: string, finished: Record<string, number>): Promise<void> {
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
}

/** Runs the pass: warm-up, rounds, checks. */
export async function measurePass(options: PassOptions): Promise<PassResult> {
	const counts = await warmUp(options);
	const samples = await runRounds(phasesOf(options, counts), options);
	await checkExecutions(options.n8nUrl, options.finished);
	return { counts, samples };
}
