/**
 * One P1/P2 pass under one n8n setting: a block per trigger version, each a warm-up and then
 * interleaved rounds of five phases, each a fixed number of requests at a fixed concurrency:
 *
 *   webhook    corpus message payloads to n8n's bare Webhook node (one execution each)
 *   trigger    the same payloads to the version N trigger (one execution each)
 *   headerAuth the same payloads to a Webhook node with Header Auth, with its header: what a user
 *              builds to have a webhook only a secret header opens, as the trigger is
 *   401        status payloads with a wrong secret: 401 before the node normalizes anything, the
 *              floor of what n8n costs to route a request to that trigger and call its webhook()
 *   filtered   the same status payloads with the right secret: 200, no execution
 *
 * Version 2 runs first. For version 1 n8n creates an expression isolate per request (see
 * bench/e2e/README.md), and clearing those away costs whatever runs next: a block of its own, after
 * version 2's, keeps that cost out of the version 2 figures.
 */
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { SetupError, seconds, type Log } from '../../scripts/n8n-session';
import type { TriggerVersion } from '../../test/e2e/workflows';
import type { Simulator } from '../../test/simulator/simulator';
import type { Headers } from '../../test/simulator/types';
import type { BenchConfig } from './config';
import { groupCpuMs } from './cpu';
import { load } from './http';
import { ANY, executions, FINISHED, waitForExecutions } from './n8n-rest';
import { HEADER_AUTH, IDS, NUMBERS, TRIGGER_VERSIONS, TRIGGER_WEBHOOK_IDS } from './workflows';

/** The header the trigger checks (x-n8n-360dialog-auth), with a value it never generated. */
const WRONG_SECRET = { [GENERATED_HEADER_NAME]: 'not-the-registered-secret' };

/** The phases of a block, as its samples name them. */
export const PHASES = ['webhook', 'trigger', 'headerAuth', '401', 'filtered'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * One phase of one round: requests/s, executions/s for the phases that execute, and the CPU time
 * n8n (with its task runner) spent per request, executions included.
 */
export interface Sample {
	reqPerS: number;
	execPerS?: number;
	cpuMsPerRequest: number;
}

/** Requests per phase: the executing phases the same, the 401 and filtered phases the same. */
export interface PhaseCounts {
	exec: number;
	answered: number;
}

/** One trigger version's block: its phase sizes, and one sample per round of each phase. */
export interface BlockResult {
	version: TriggerVersion;
	counts: PhaseCounts;
	samples: Record<Phase, Sample[]>;
}

export interface PassResult {
	/** In the order they ran (BLOCK_ORDER). */
	blocks: BlockResult[];
}

/** Version 2 first (see the top of this file). */
export const BLOCK_ORDER: TriggerVersion[] = [...TRIGGER_VERSIONS].sort((a, b) => b - a);

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
	/** The process group of the n8n measured (its pid: n8n is started as a group leader). */
	n8nGroup: number | undefined;
}

type Phases = Record<Phase, () => Promise<Sample>>;

/** A trigger version's URL and its registered secret, read from the simulator's state. */
function registeredTrigger(sim: Simulator, n8nUrl: string, version: TriggerVersion) {
	const registered = sim.number(NUMBERS[version].apiKey)?.webhook;
	const url = `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_IDS[version]}/webhook`;
	const secret = registered?.headers[GENERATED_HEADER_NAME];
	if (!registered || registered.url !== url || !secret) {
		throw new SetupError(`trigger v${version} did not register: ${JSON.stringify(registered)}`);
	}
	return { url, auth: { [GENERATED_HEADER_NAME]: secret } };
}

/** The phases of one version's block, each sending the number of requests `counts` gives it. */
function phasesOf(
	{ config, n8nUrl, sim, bodies, finished, n8nGroup }: PassOptions,
	version: TriggerVersion,
	counts: PhaseCounts,
): Phases {
	const trigger = registeredTrigger(sim, n8nUrl, version);
	const cpuMs = () => groupCpuMs(n8nGroup);
	/** `counts.exec` requests, then wait until all their executions finished. */
	const executing = async (name: string, url: string, workflowId: string, headers?: Headers) => {
		const count = counts.exec;
		const cpu0 = cpuMs();
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
		return {
			reqPerS: count / ((t1 - t0) / 1000),
			execPerS: count / ((end - t0) / 1000),
			cpuMsPerRequest: (cpuMs() - cpu0) / count,
		};
	};
	/** `counts.answered` status payloads to the trigger, every one answered `expected`. */
	const answered = async (name: string, headers: Headers, expected: number) => {
		const count = counts.answered;
		const cpu0 = cpuMs();
		const { t0, t1, statuses } = await load(trigger.url, bodies.statuses, count, config.concurrency, headers);
		if (statuses[expected] !== count) {
			throw new SetupError(`${name}: answers ${JSON.stringify(statuses)}, expected ${expected}`);
		}
		return { reqPerS: count / ((t1 - t0) / 1000), cpuMsPerRequest: (cpuMs() - cpu0) / count };
	};
	return {
		webhook: () => executing('webhook', `${n8nUrl}/webhook/bench-webhook`, IDS.webhook),
		trigger: () => executing(`trigger v${version}`, trigger.url, IDS.trigger[version], trigger.auth),
		headerAuth: () =>
			executing('headerAuth', `${n8nUrl}/webhook/bench-webhook-auth`, IDS.guardedWebhook, HEADER_AUTH.header),
		401: () => answered(`401 v${version}`, WRONG_SECRET, 401),
		filtered: () => answered(`filtered v${version}`, trigger.auth, 200),
	};
}

/**
 * Warm-up: every phase of the block, JIT and DB warm; not reported. Its rates size the rounds so
 * that a phase lasts about BENCH_PHASE_SECONDS whatever the setting: both executing phases from
 * the bare Webhook node's rate, the 401 and filtered phases from the 401 rate.
 */
async function warmUp(options: PassOptions, version: TriggerVersion): Promise<PhaseCounts> {
	const { config, log, label } = options;
	const t = Date.now();
	const phases = phasesOf(options, version, { exec: config.warmup, answered: config.warmup });
	const warm = {} as Record<Phase, Sample>;
	for (const name of PHASES) warm[name] = await phases[name]();
	const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(value)));
	const counts: PhaseCounts = {
		exec: clamp((warm.webhook.execPerS ?? 0) * config.phaseSeconds, config.requests, 2000),
		answered: clamp(warm[401].reqPerS * config.phaseSeconds, config.filteredRequests, 5000),
	};
	log(
		`[${label}] v${version} warm-up done (${seconds(Date.now() - t)}): ${counts.exec} requests per executing phase, ${counts.answered} per 401/filtered phase`,
	);
	return counts;
}

/**
 * The order of one round. Compared phases run next to each other (the trigger between the two
 * Webhook nodes; 401 and filtered), and every ratio is taken within a round (report.ts): that
 * cancels what drifts between rounds, such as a JIT still warming up, a growing database or the
 * rest of the machine. Which phase of a pair runs first alternates every round, and which group
 * (executing or answered) runs first changes every two rounds.
 */
export function roundOrder(round: number): Phase[] {
	const forwards = round % 2 === 0;
	const executing: Phase[] = forwards ? ['webhook', 'trigger', 'headerAuth'] : ['headerAuth', 'trigger', 'webhook'];
	const answered: Phase[] = forwards ? ['401', 'filtered'] : ['filtered', '401'];
	return Math.floor(round / 2) % 2 === 0 ? [...executing, ...answered] : [...answered, ...executing];
}

async function runRounds(
	phases: Phases,
	version: TriggerVersion,
	{ config, log, label }: PassOptions,
): Promise<Record<Phase, Sample[]>> {
	const samples: Record<Phase, Sample[]> = { webhook: [], trigger: [], headerAuth: [], 401: [], filtered: [] };
	const t = Date.now();
	for (let round = 0; round < config.rounds; round++) {
		const line = [];
		for (const name of roundOrder(round)) {
			const result = await phases[name]();
			samples[name].push(result);
			const rate = result.execPerS
				? `${result.execPerS.toFixed(1)} exec/s`
				: `${result.reqPerS.toFixed(0)} req/s`;
			line.push(`${name} ${rate} (${result.cpuMsPerRequest.toFixed(1)} ms CPU)`);
		}
		log(`[${label}] v${version} round ${round + 1}/${config.rounds}: ${line.join(', ')}`);
	}
	log(`[${label}] v${version} rounds done (${seconds(Date.now() - t)})`);
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
	for (const id of [...Object.values(IDS.trigger), IDS.webhook, IDS.guardedWebhook]) {
		const failed = await executions(n8nUrl, id, ['error', 'crashed', 'canceled']);
		if (failed.count > 0) throw new SetupError(`${id}: ${failed.count} executions failed`);
	}
}

/** Runs the pass: per trigger version (BLOCK_ORDER) a warm-up and rounds; then the checks. */
export async function measurePass(options: PassOptions): Promise<PassResult> {
	const blocks: BlockResult[] = [];
	for (const version of BLOCK_ORDER) {
		const counts = await warmUp(options, version);
		const samples = await runRounds(phasesOf(options, version, counts), version, options);
		blocks.push({ version, counts, samples });
	}
	await checkExecutions(options.n8nUrl, options.finished);
	return { blocks };
}
