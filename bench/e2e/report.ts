/** The printed result of bench:e2e: absolute rates per setting, then the ratios against targets. */
import * as os from 'node:os';

import type { HostPaths, InstalledPackage } from '../../scripts/n8n-session';
import { median } from '../stats';
import type { BenchConfig } from './config';
import type { Corpus } from './corpus';
import { ENGINES, type EngineName } from './engines';
import type { P4Result } from './p4';
import type { PassResult, Sample } from './pass';
import { perVersion, TRIGGER_VERSIONS } from './workflows';

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

/** Ratios of one pass (medians over its rounds). */
export function ratiosOf(pass: PassResult) {
	const s = pass.samples;
	const webhook = med(s.webhook, 'execPerS');
	return perVersion((v) => {
		const exec = med(s[`trigger v${v}`], 'execPerS');
		const filtered = med(s[`filtered v${v}`], 'reqPerS');
		return {
			triggerVsWebhook: exec / webhook,
			triggerVsWebhookReq: med(s[`trigger v${v}`], 'reqPerS') / med(s.webhook, 'reqPerS'),
			filteredVsRejected: filtered / med(s[`401 v${v}`], 'reqPerS'),
			filteredVsExecuting: filtered / exec,
		};
	});
}

/** One row per phase and setting: the medians and how many samples of how many requests. */
function absoluteRows(passes: EnginePass[]): Row[] {
	const rows: Row[] = [['absolute (medians)', 'setting', 'executions/s', 'requests/s', 'samples']];
	for (const pass of passes) {
		for (const [phase, samples] of Object.entries(pass.samples)) {
			const executes = samples[0].execPerS !== undefined;
			const version = TRIGGER_VERSIONS.find((v) => phase.endsWith(` v${v}`));
			const count = executes ? pass.counts.exec : version && pass.counts.answered[version];
			rows.push([
				phase,
				ENGINES[pass.engine].label,
				executes ? med(samples, 'execPerS').toFixed(1) : '0 (none)',
				med(samples, 'reqPerS').toFixed(1),
				`${samples.length} x ${count}`,
			]);
		}
	}
	return rows;
}

/** Four rows per trigger version and setting: the two targets and two figures for information. */
function ratioRows(passes: EnginePass[]): Row[] {
	const rows: Row[] = [['figure', 'setting', 'measured', 'target', '']];
	for (const pass of passes) {
		const label = ENGINES[pass.engine].label;
		for (const [v, r] of Object.entries(ratiosOf(pass))) {
			rows.push(
				[
					`trigger v${v} / Webhook node, executions/s`,
					label,
					`${r.triggerVsWebhook.toFixed(2)}x`,
					`>= ${TARGETS.triggerVsWebhook}x`,
					verdict(r.triggerVsWebhook >= TARGETS.triggerVsWebhook),
				],
				[`trigger v${v} / Webhook node, requests/s`, label, `${r.triggerVsWebhookReq.toFixed(2)}x`, '(info)', ''],
				[
					`filtered v${v} / 401 v${v}, requests/s`,
					label,
					`${r.filteredVsRejected.toFixed(2)}x`,
					`>= ${TARGETS.filteredVsRejected}x`,
					verdict(r.filteredVsRejected >= TARGETS.filteredVsRejected),
				],
				[`filtered v${v} req/s / trigger v${v} exec/s`, label, `${r.filteredVsExecuting.toFixed(1)}x`, '(info)', ''],
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
