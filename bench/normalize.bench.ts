/**
 * Benchmark: what `normalize` costs next to the `JSON.parse` every webhook pays anyway.
 *
 *   npm run build && npm run bench
 *
 * Reads every corpus file (DIALOG360_CORPUS, or ../shared/corpus beside the repository; a small
 * built-in mix when neither exists) and times, over the whole mix, interleaved and repeated:
 *   parse      JSON.parse of each file's text
 *   normalize  normalize() of the same bodies, already parsed
 *   text       normalize() of the text (parse + normalize in one call)
 * Medians (wall clock and process CPU time) are reported. Target: normalize costs at most half of JSON.parse.
 *
 * BENCH_REPS (default 9) and BENCH_MS (time per repetition and phase, default 250) tune the run.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

import type * as Package from '../index';
import { median, printTable } from './stats';
import { cloudMessages, cloudTextMessage, DOCS_CUSTOMER, DOCS_NUMBER, imageMessage, status } from '../test/support/payloads';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'index.js');
const TARGET_RATIO = 0.5;
const REPS = Number(process.env.BENCH_REPS || 9);
const REP_MS = Number(process.env.BENCH_MS || 250);
const WARMUP_MS = 1500;

if (!fs.existsSync(DIST)) {
	console.error(`No build at ${path.relative(process.cwd(), DIST) || DIST}: run \`npm run build\` first, then \`npm run bench\`.`);
	process.exit(1);
}
// The build under test (dist/), not the sources.
const { normalize } = createRequire(__filename)(DIST) as typeof Package;

/** A small mix of the three formats, used when the corpus is not there. */
const BUILT_IN: Record<string, unknown> = {
	'cloud/text': cloudTextMessage('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'Does it come in another color?', {
		number: DOCS_NUMBER,
		customer: DOCS_CUSTOMER,
		timestamp: '1749416383',
	}),
	'cloud/image-reply': cloudMessages(
		{ messages: [{ ...imageMessage('wamid.img', DOCS_CUSTOMER.waId), context: { from: DOCS_NUMBER.displayPhoneNumber, id: 'wamid.prev' } }] },
		DOCS_NUMBER,
		DOCS_CUSTOMER,
	),
	'cloud/statuses': cloudMessages(
		{
			statuses: [
				{ ...status('wamid.s1', 'delivered', DOCS_CUSTOMER.waId), conversation: { id: 'c1', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' } },
				{ ...status('wamid.s2', 'failed', DOCS_CUSTOMER.waId), errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } }] },
			],
		},
		DOCS_NUMBER,
	),
	'cloud/template-status': {
		object: 'whatsapp_business_account',
		entry: [{ id: '102290129340398', time: 1749416383, changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_id: 12345678, message_template_name: 'promo', message_template_language: 'en_US', reason: 'NONE' } }] }],
	},
	'onprem/message-status': {
		contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
		messages: [{ from: '16315551234', id: 'ABGGFlA5FpafAgo6EhgwaH7m2M7w', timestamp: '1518694235', type: 'voice', voice: { id: 'v1', mime_type: 'audio/ogg; codecs=opus' } }],
		statuses: [{ id: 'gBEGkYiEB1VXAglK1ZEqA1YKPrU', recipient_id: '16315551234', status: 'read', timestamp: '1518694235' }],
	},
	'partner/channel-live': { id: 'evt_1', event: 'channel_live', data: { id: 'ch1', status: 'ready', account_mode: 'live', setup_info: { phone_number: '15553785635', phone_name: 'Shop' } } },
};

interface Mix {
	source: string;
	files: Array<{ name: string; bytes: Buffer }>;
}

function loadMix(): Mix {
	const dir = process.env.DIALOG360_CORPUS || path.resolve(ROOT, '..', 'shared', 'corpus');
	const manifest = path.join(dir, 'manifest.json');
	if (fs.existsSync(manifest)) {
		const { files } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { files: Array<{ path: string }> };
		return {
			source: `corpus ${dir}`,
			files: files.map((file) => ({ name: file.path, bytes: fs.readFileSync(path.join(dir, file.path)) })),
		};
	}
	return {
		source: `built-in mix (no corpus at ${dir}; set DIALOG360_CORPUS to use one)`,
		files: Object.entries(BUILT_IN).map(([name, body]) => ({ name, bytes: Buffer.from(JSON.stringify(body, null, 2)) })),
	};
}

/** The files normalize accepts, as text and parsed; those it rejects are skipped with a warning. */
function acceptedFiles(mix: Mix): { texts: string[]; bodies: unknown[]; skipped: number } {
	const texts: string[] = [];
	const bodies: unknown[] = [];
	let skipped = 0;
	for (const file of mix.files) {
		const text = file.bytes.toString('utf8');
		const body: unknown = JSON.parse(text);
		try {
			normalize(body);
		} catch (error) {
			skipped++;
			console.warn(`skipped ${file.name}: ${(error as Error).message}`);
			continue;
		}
		texts.push(text);
		bodies.push(body);
	}
	return { texts, bodies, skipped };
}

const mix = loadMix();
const { texts, bodies, skipped } = acceptedFiles(mix);
if (texts.length === 0) {
	console.error('Nothing to measure: every file was rejected by normalize.');
	process.exit(1);
}
const totalBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
const itemsPerPass = bodies.reduce((sum: number, body) => sum + normalize(body).length, 0);

type Phase = 'parse' | 'normalize' | 'text';

// One pass = every file once. `sink` keeps results alive so that no work is optimised away.
let sink = 0;
const phases: Record<Phase, () => void> = {
	parse() {
		for (let i = 0; i < texts.length; i++) sink += JSON.parse(texts[i]) === null ? 1 : 0;
	},
	normalize() {
		for (let i = 0; i < bodies.length; i++) sink += normalize(bodies[i]).length;
	},
	text() {
		for (let i = 0; i < texts.length; i++) sink += normalize(texts[i]).length;
	},
};
const PHASES: Phase[] = ['parse', 'normalize', 'text'];

/** Nanoseconds per pass, by the wall clock and by the CPU time of the process. */
interface Sample {
	wall: number;
	cpu: number;
}

/**
 * Runs passes of `phase` for about `ms` milliseconds. Returns nanoseconds per pass, by the wall
 * clock and by the CPU time of the process (which a busy machine disturbs less).
 */
function measure(phase: () => void, ms: number): Sample {
	const budget = BigInt(Math.round(ms * 1e6));
	const cpuStart = process.cpuUsage();
	const start = process.hrtime.bigint();
	let passes = 0;
	let elapsed = 0n;
	do {
		phase();
		passes++;
		elapsed = process.hrtime.bigint() - start;
	} while (elapsed < budget);
	const cpu = process.cpuUsage(cpuStart);
	return { wall: Number(elapsed) / passes, cpu: ((cpu.user + cpu.system) * 1e3) / passes };
}

/** Warm-up, then REPS interleaved repetitions, so that a change in machine load hits every phase alike. */
function sample(): Record<Phase, Sample[]> {
	for (const phase of Object.values(phases)) measure(phase, WARMUP_MS / 3);
	const samples: Record<Phase, Sample[]> = { parse: [], normalize: [], text: [] };
	for (let rep = 0; rep < REPS; rep++) {
		for (const name of PHASES) samples[name].push(measure(phases[name], REP_MS));
	}
	return samples;
}

const samples = sample();
const medianOf = (key: keyof Sample) =>
	Object.fromEntries(PHASES.map((name) => [name, median(samples[name].map((s) => s[key]))])) as Record<Phase, number>;
const ns = medianOf('wall');
const cpuNs = medianOf('cpu');
const spread = (name: Phase) => {
	const values = samples[name].map((s) => s.wall);
	return `${(((Math.max(...values) - Math.min(...values)) / ns[name]) * 100).toFixed(0)}%`;
};

function printHeader(): void {
	const cpus = os.cpus();
	const load = os.loadavg()[0];
	console.log('normalize benchmark');
	console.log(`  machine  ${cpus.length > 0 ? cpus[0].model.trim() : 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`);
	console.log(`  load     ${load.toFixed(2)} (1 min average)${load > cpus.length * 0.75 ? ': the machine is busy, figures are noisy' : ''}`);
	console.log(`  mix      ${texts.length} files${skipped ? ` (${skipped} skipped)` : ''}, ${(totalBytes / 1024).toFixed(1)} KiB, ${itemsPerPass} items per pass; ${mix.source}`);
	console.log(`  method   ${REPS} interleaved repetitions of ${REP_MS} ms per phase after ${WARMUP_MS} ms warm-up; medians`);
	console.log('');
}

const LABELS: Record<Phase, string> = { parse: 'JSON.parse(text)', normalize: 'normalize(parsed)', text: 'normalize(text)' };

function row(name: Phase): string[] {
	const perPass = ns[name];
	return [
		LABELS[name],
		`${(perPass / 1e3).toFixed(1)} us`,
		`${(perPass / texts.length / 1e3).toFixed(2)} us`,
		name === 'normalize' ? '-' : (totalBytes / 1048576 / (perPass / 1e9)).toFixed(1),
		name === 'parse' ? '-' : Math.round(itemsPerPass / (perPass / 1e9)).toLocaleString('en-US'),
		(perPass / ns.parse).toFixed(2),
		spread(name),
		`${(cpuNs[name] / 1e3).toFixed(1)} us`,
		(cpuNs[name] / cpuNs.parse).toFixed(2),
	];
}

printHeader();
printTable([['phase', 'per pass', 'per file', 'MiB/s', 'events/s', 'x parse', 'spread', 'cpu/pass', 'x parse'], ...PHASES.map(row)]);

const ratio = ns.normalize / ns.parse;
const cpuRatio = cpuNs.normalize / cpuNs.parse;
console.log('');
console.log('  Columns 2-7 are wall-clock medians; the last two are CPU-time medians (steadier on a busy machine).');
console.log(`  normalize / JSON.parse = ${ratio.toFixed(2)} by wall clock, ${cpuRatio.toFixed(2)} by CPU time (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'within target' : 'ABOVE TARGET'}`);
if (sink === -1) console.log(sink);
