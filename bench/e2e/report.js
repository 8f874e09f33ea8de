'use strict';
/** The printed result of bench:e2e: absolute rates per setting, then the ratios against targets. */
const os = require('node:os');

const { ENGINES } = require('./engines.js');
const { TRIGGER_VERSIONS } = require('./workflows.js');

const TARGETS = { triggerVsWebhook: 0.95, filteredVsRejected: 0.95, p4: 3 };

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const med = (samples, key) => median(samples.map((s) => s[key]));

function table(data) {
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
function ratiosOf(pass) {
	const s = pass.samples;
	const webhook = med(s.webhook, 'execPerS');
	return Object.fromEntries(
		TRIGGER_VERSIONS.map((v) => {
			const exec = med(s[`trigger v${v}`], 'execPerS');
			const filtered = med(s[`filtered v${v}`], 'reqPerS');
			return [
				v,
				{
					triggerVsWebhook: exec / webhook,
					triggerVsWebhookReq: med(s[`trigger v${v}`], 'reqPerS') / med(s.webhook, 'reqPerS'),
					filteredVsRejected: filtered / med(s[`401 v${v}`], 'reqPerS'),
					filteredVsExecuting: filtered / exec,
				},
			];
		}),
	);
}

function printReport({ passes, p4, config, hostPaths, pkg, corpus, runnerSeen }) {
	const cpu = os.cpus();
	const verdict = (ok) => (ok ? 'MEETS' : 'MISSES');
	const abs = [['absolute (medians)', 'setting', 'executions/s', 'requests/s', 'samples']];
	const rows = [['figure', 'setting', 'measured', 'target', '']];
	for (const pass of passes) {
		const label = ENGINES[pass.engine].label;
		for (const [phase, samples] of Object.entries(pass.samples)) {
			const executes = samples[0].execPerS !== undefined;
			const count = executes ? pass.counts.exec : pass.counts.answered[phase.split(' v')[1]];
			abs.push([
				phase,
				label,
				executes ? med(samples, 'execPerS').toFixed(1) : '0 (none)',
				med(samples, 'reqPerS').toFixed(1),
				`${samples.length} x ${count}`,
			]);
		}
		for (const [v, r] of Object.entries(ratiosOf(pass))) {
			rows.push(
				[
					`trigger v${v} / Webhook node, executions/s`,
					label,
					`${r.triggerVsWebhook.toFixed(2)}x`,
					`>= ${TARGETS.triggerVsWebhook}x`,
					verdict(r.triggerVsWebhook >= TARGETS.triggerVsWebhook),
				],
				[
					`trigger v${v} / Webhook node, requests/s`,
					label,
					`${r.triggerVsWebhookReq.toFixed(2)}x`,
					'(info)',
					'',
				],
				[
					`filtered v${v} / 401 v${v}, requests/s`,
					label,
					`${r.filteredVsRejected.toFixed(2)}x`,
					`>= ${TARGETS.filteredVsRejected}x`,
					verdict(r.filteredVsRejected >= TARGETS.filteredVsRejected),
				],
				[
					`filtered v${v} req/s / trigger v${v} exec/s`,
					label,
					`${r.filteredVsExecuting.toFixed(1)}x`,
					'(info)',
					'',
				],
			);
		}
	}
	let p4Lines = [];
	if (p4 && p4.normalize.length) {
		const normMs = median(p4.normalize);
		const codeMs = median(p4.code);
		const expected = Array.from(
			{ length: config.p4Items },
			(_, i) => corpus.flatEvents[i % corpus.flatEvents.length],
		).reduce((a, b) => a + b, 0);
		rows.push([
			'P4 Code node ms / Normalize ms',
			ENGINES[passes[passes.length - 1].engine].label,
			`${(codeMs / normMs).toFixed(1)}x`,
			`>= ${TARGETS.p4}x`,
			verdict(codeMs / normMs >= TARGETS.p4),
		]);
		p4Lines = [
			`P4: ${config.p4Items} payloads in one execution -> Normalize ${p4.items.normalize} items, Code ${p4.items.code} items (manifest expects ${expected})`,
			`    executionTime: Normalize median ${normMs} ms (${p4.normalize.join(', ')}); Code node median ${codeMs} ms (${p4.code.join(', ')})`,
			`    Build Payloads (Code node, not measured): ${p4.runs.map((r) => r.buildMs).join(', ')} ms`,
		];
	}
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
	console.log('');
	console.log(table(abs));
	if (p4Lines.length) console.log(`\n${p4Lines.join('\n')}`);
	console.log('');
	console.log(table(rows));
	console.log('');
}

module.exports = { printReport, ratiosOf, TARGETS };
