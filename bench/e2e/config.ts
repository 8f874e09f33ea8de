/** bench:e2e's settings, from its environment variables (bench/e2e/README.md lists them). */
import * as path from 'node:path';

import { REPO } from '../../scripts/n8n-session';
import { engineNames, type EngineName } from './engines';

export interface BenchConfig {
	n8nPort: number;
	brokerPort: number;
	skipBuild: boolean;
	keep: boolean;
	/** Requests in flight during a phase. */
	concurrency: number;
	rounds: number;
	/** Least requests per executing phase, and per filtered/401 phase. */
	requests: number;
	filteredRequests: number;
	warmup: number;
	/** About how long a phase lasts; the warm-up's rates size the phases to it. */
	phaseSeconds: number;
	p4Items: number;
	/** 0: no P4. */
	p4Runs: number;
	startupTimeoutMs: number;
	engines: EngineName[];
	corpus: string;
}

const int = (name: string, fallback: number): number => {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0`);
	return value;
};

/** The settings; `args` are the runner's arguments (`--no-build`). */
export function readConfig(args: string[]): BenchConfig {
	return {
		n8nPort: int('BENCH_N8N_PORT', 5698),
		brokerPort: int('BENCH_BROKER_PORT', 5699),
		skipBuild: process.env.BENCH_SKIP_BUILD === '1' || args.includes('--no-build'),
		keep: process.env.BENCH_KEEP === '1',
		concurrency: int('BENCH_CONCURRENCY', 8),
		rounds: int('BENCH_ROUNDS', 5),
		requests: int('BENCH_REQUESTS', 24),
		filteredRequests: int('BENCH_FILTERED_REQUESTS', 40),
		warmup: int('BENCH_WARMUP', 120),
		phaseSeconds: Number(process.env.BENCH_PHASE_SECONDS || 4),
		p4Items: int('BENCH_P4_ITEMS', 10000),
		p4Runs: int('BENCH_P4_RUNS', 2),
		startupTimeoutMs: int('BENCH_STARTUP_TIMEOUT_MS', 180000),
		engines: engineNames(process.env.BENCH_ENGINES || 'default,lazy,legacy'),
		corpus: process.env.DIALOG360_CORPUS || path.resolve(REPO, '..', 'shared', 'corpus'),
	};
}
