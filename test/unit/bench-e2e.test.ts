/** The parts of bench:e2e that decide its figures: the order of a round, per-round ratios, CPU time. */
import { spawn } from 'node:child_process';

import { groupCpuMs } from '../../bench/e2e/cpu';
import { BLOCK_ORDER, PHASES, roundOrder, type Phase, type Sample } from '../../bench/e2e/pass';
import { perRound } from '../../bench/e2e/report';

describe('roundOrder', () => {
	const rounds = Array.from({ length: 8 }, (_, round) => roundOrder(round));
	const adjacent = (order: Phase[], a: Phase, b: Phase) =>
		Math.abs(order.indexOf(a) - order.indexOf(b)) === 1;

	it('runs every phase of a block exactly once a round', () => {
		for (const order of rounds) expect([...order].sort()).toEqual([...PHASES].sort());
	});

	it('keeps compared phases next to each other', () => {
		for (const order of rounds) {
			expect(adjacent(order, 'webhook', 'trigger')).toBe(true);
			expect(adjacent(order, 'headerAuth', 'trigger')).toBe(true);
			expect(adjacent(order, '401', 'filtered')).toBe(true);
		}
	});

	it('runs each phase of a pair first, and each pair first, in some round of every four', () => {
		for (let start = 0; start < rounds.length; start += 4) {
			const four = rounds.slice(start, start + 4);
			for (const [a, b] of [
				['webhook', 'trigger'],
				['headerAuth', 'trigger'],
				['401', 'filtered'],
			] as Array<[Phase, Phase]>) {
				expect(four.some((order) => order.indexOf(a) < order.indexOf(b))).toBe(true);
				expect(four.some((order) => order.indexOf(b) < order.indexOf(a))).toBe(true);
			}
			expect(new Set(four.map((order) => order[0] === '401' || order[0] === 'filtered'))).toEqual(
				new Set([true, false]),
			);
		}
	});
});

describe('BLOCK_ORDER', () => {
	it('measures version 2 before version 1, whose isolates would burden what runs after them', () => {
		expect(BLOCK_ORDER.indexOf(2)).toBeLessThan(BLOCK_ORDER.indexOf(1));
	});
});

describe('perRound', () => {
	const samples = (rates: number[]): Sample[] =>
		rates.map((reqPerS) => ({ reqPerS, cpuMsPerRequest: 1 }));

	it('divides within each round, not the medians of the phases', () => {
		// The machine slows down round by round; both phases slow together.
		const top = samples([90, 45, 30]);
		const bottom = samples([100, 50, 40]);
		expect(perRound(top, bottom, 'reqPerS')).toEqual({ median: 0.9, min: 0.75, max: 0.9 });
	});

	it('is NaN for a figure a phase does not have', () => {
		expect(perRound(samples([1]), samples([1]), 'execPerS').median).toBeNaN();
	});
});

describe('groupCpuMs', () => {
	it('reads the CPU time of a process group (Linux, as everything here)', async () => {
		// A group of its own that burns 300 ms of CPU, says so, then idles until killed.
		const burner = spawn(
			process.execPath,
			[
				'-e',
				'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 300000); console.log("burnt"); setInterval(() => {}, 1000);',
			],
			{ detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
		);
		try {
			await new Promise<void>((resolve, reject) => {
				burner.stdout.on('data', () => resolve());
				burner.once('exit', () => reject(new Error('the burner exited early')));
			});
			const ms = groupCpuMs(burner.pid);
			expect(ms).toBeGreaterThanOrEqual(250);
			expect(ms).toBeLessThan(5000);
		} finally {
			burner.kill('SIGKILL');
		}
	});

	it('is 0 for a group with no process, NaN without a group', () => {
		expect(groupCpuMs(2 ** 22 + 12345)).toBe(0);
		expect(groupCpuMs(undefined)).toBeNaN();
	});
});
