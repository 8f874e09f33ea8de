/** The printed result of bench:e2e: absolute rates per setting, then the ratios against targets. */
import * as os from 'node:os';

import type { HostPaths, InstalledPackage } from '../../scripts/n8n-session';
import { median } from '../stats';
import type { BenchConfig } from './config';
import type { Corpus } from './corpus';
import { ENGINES, type EngineName } from './engines';
import type { P4Result } from './p4';
import { PHASES, type BlockResult, type PassResult, type Phase, type Sample } from './pass';
import type { TriggerVersion } from '../../test/e2e/workflows';

export const TARGETS = { triggerVsWebhook: 0.95, filteredVsRejected: 0.95, p4: 3 };

/** A pass and the setting it ran under. */
export type EnginePass = PassResult & { engine: EngineName };

export interface Report {
	passes: EnginePass[];
	p4: P4Result | null;
	config: BenchConfig;
	hostPaths: HostPaths;
	pkg: InstalledPackage;
	corpus: Corpus;
	/** Whether n8n's log shows the JS task runner registering. */
	runnerSeen: boolean;
}

type Row = Array<string | number>;

const med = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key] ?? NaN));
const verdict = (ok: boolean) => (ok ? 'MEETS' : 'MISSES');

function table(data: Row[]): string {
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
}

/** A ratio over the rounds: the median of the per-round ratios, and their range. */
export interface Ratio {
	median: number;
	min: number;
	max: number;
}

/** `top[i][key] / bottom[i][key]` per round i (the phases ran next to each other in it). */
export function perRound(top: Sample[], bottom: Sample[], key: keyof Sample): Ratio {
	const ratios = top.map((sample, i) => (sample[key] ?? NaN) / (bottom[i]?.[key] ?? NaN));
	return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** The ratios of one block. Cost ratios are turned like the rate ratios: above 1, the trigger costs less. */
export function ratiosOf({ samples: s }: BlockResult) {
	return {
		triggerVsWebhook: perRound(s.trigger, s.webhook, 'execPerS'),
		triggerVsWebhookReq: perRound(s.trigger, s.webhook, 'reqPerS'),
		triggerVsWebhookCpu: perRound(s.webhook, s.trigger, 'cpuMsPerRequest'),
		triggerVsHeaderAuth: perRound(s.trigger, s.headerAuth, 'execPerS'),
		triggerVsHeaderAuthCpu: perRound(s.headerAuth, s.trigger, 'cpuMsPerRequest'),
		filteredVsRejected: perRound(s.filtered, s[401], 'reqPerS'),
		filteredVsRejectedCpu: perRound(s[401], s.filtered, 'cpuMsPerRequest'),
		filteredVsExecuting: med(s.filtered, 'reqPerS') / med(s.trigger, 'execPerS'),
	};
}

const shown = (r: Ratio) => `${r.median.toFixed(2)}x (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;

/** The name a phase of a block is printed with. */
const phaseName = (phase: Phase, version: TriggerVersion) => {
	if (phase === 'webhook') return `webhook (v${version} block)`;
	if (phase === 'headerAuth') return `webhook + Header Auth (v${version} block)`;
	return `${phase} v${version}`;
};

/** One row per phase of each block and setting: the medians and how many samples of how many requests. */
function absoluteRows(passes: EnginePass[]): Row[] {
	const rows: Row[] = [
		['absolute (medians)', 'setting', 'executions/s', 'requests/s', 'n8n CPU ms/request', 'samples'],
	];
	for (const pass of passes) {
		for (const block of pass.blocks) {
			for (const phase of PHASES) {
				const samples = block.samples[phase];
				const executes = phase !== '401' && phase !== 'filtered';
				rows.push([
					phaseName(phase, block.version),
					ENGINES[pass.engine].label,
					executes ? med(samples, 'execPerS').toFixed(1) : '0 (none)',
					med(samples, 'reqPerS').toFixed(1),
					med(samples, 'cpuMsPerRequest').toFixed(2),
					`${samples.length} x ${executes ? block.counts.exec : block.counts.answered}`,
				]);
			}
		}
	}
	return rows;
}

/** Per trigger version and setting: the two targets, and figures for information. */
function ratioRows(passes: EnginePass[]): Row[] {
	const rows: Row[] = [['figure (median of per-round ratios, range)', 'setting', 'measured', 'target', '']];
	for (const pass of passes) {
		const label = ENGINES[pass.engine].label;
		for (const block of pass.blocks) {
			const v = block.version;
			const r = ratiosOf(block);
			const target = (name: string, ratio: Ratio, goal: number): Row => [
				name,
				label,
				shown(ratio),
				`>= ${goal}x`,
				verdict(ratio.median >= goal),
			];
			const info = (name: string, value: string): Row => [name, label, value, '(info)', ''];
			rows.push(
				target(`trigger v${v} / Webhook node, executions/s`, r.triggerVsWebhook, TARGETS.triggerVsWebhook),
				info(`trigger v${v} / Webhook node, requests/s`, shown(r.triggerVsWebhookReq)),
				info(`Webhook node / trigger v${v}, n8n CPU per execution`, shown(r.triggerVsWebhookCpu)),
				info(`trigger v${v} / Webhook node + Header Auth, executions/s`, shown(r.triggerVsHeaderAuth)),
				info(`Webhook + Header Auth / trigger v${v}, n8n CPU per execution`, shown(r.triggerVsHeaderAuthCpu)),
				target(`filtered v${v} / 401 v${v}, requests/s`, r.filteredVsRejected, TARGETS.filteredVsRejected),
				info(`401 v${v} / filtered v${v}, n8n CPU per request`, shown(r.filteredVsRejectedCpu)),
				info(`filtered v${v} req/s / trigger v${v} exec/s`, `${r.filteredVsExecuting.toFixed(1)}x`),
			);
		}
	}
	return rows;
}

/** P4's ratio row and its lines of detail. */
function p4Summary(p4: P4Result, { config, corpus, passes }: Report): { row: Row; lines: string[] } {
	const normMs = median(p4.normalize);
	const codeMs = median(p4.code);
	const expected = Array.from(
		{ length: config.p4Items },
		(_, i) => corpus.flatEvents[i % corpus.flatEvents.length],
	).reduce((a, b) => a + b, 0);
	const row = [
		'P4 Code node ms / Normalize ms',
		ENGINES[passes[passes.length - 1].engine].label,
		`${(codeMs / normMs).toFixed(1)}x`,
		`>= ${TARGETS.p4}x`,
		verdict(codeMs / normMs >= TARGETS.p4),
	];
	const lines = [
		`P4: ${config.p4Items} payloads in one execution -> Normalize ${p4.items?.normalize} items, Code ${p4.items?.code} items (manifest expects ${expected})`,
		`    executionTime: Normalize median ${normMs} ms (${p4.normalize.join(', ')}); Code node median ${codeMs} ms (${p4.code.join(', ')})`,
		`    Build Payloads (Code node, not measured): ${p4.runs.map((r) => r.buildMs).join(', ')} ms`,
	];
	return { row, lines };
}

/** What ran where: machine, n8n, task runner, client, package, payloads. */
function printSetup({ config, hostPaths, pkg, corpus, runnerSeen }: Report): void {
	const cpu = os.cpus();
	const runnerMode = process.env.N8N_RUNNERS_MODE
		? `N8N_RUNNERS_MODE=${process.env.N8N_RUNNERS_MODE}`
		: 'internal (n8n default; N8N_RUNNERS_MODE unset)';
	console.log('\n=== n8n-nodes-360dialog e2e benchmark ===');
	console.log(`date        ${new Date().toISOString()}`);
	console.log(
		`machine     ${cpu[0].model}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
	);
	console.log(
		`n8n         ${hostPaths.N8N_VERSION} on Node ${hostPaths.NODE_VERSION}; SQLite, every execution saved (default), regular mode, one n8n restarted per setting`,
	);
	console.log(
		`Code node   JS task runner: ${runnerMode}${runnerSeen ? ', registered' : ' (no runner registration in the log)'}`,
	);
	console.log(
		`client      Node ${process.version} in this process, same machine, keep-alive, concurrency ${config.concurrency}`,
	);
	console.log(`package     ${pkg.name}@${pkg.version}`);
	console.log(
		`payloads    ${corpus.counts.messages} corpus message payloads (executing); ${corpus.counts.statuses} status payloads (filtered, 401); P4: ${config.p4Items} bodies from ${corpus.counts.flat} payloads`,
	);
}

export function printReport(report: Report): void {
	const rows = ratioRows(report.passes);
	let p4Lines: string[] = [];
	if (report.p4 && report.p4.normalize.length) {
		const p4 = p4Summary(report.p4, report);
		rows.push(p4.row);
		p4Lines = p4.lines;
	}
	printSetup(report);
	console.log('');
	console.log(table(absoluteRows(report.passes)));
	if (p4Lines.length) console.log(`\n${p4Lines.join('\n')}`);
	console.log('');
	console.log(table(rows));
	console.log('');
}
