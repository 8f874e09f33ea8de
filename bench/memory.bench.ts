/**
 * Benchmark: heap per input byte for the largest body n8n accepts (N8N_PAYLOAD_SIZE_MAX, 16 MiB by
 * default) made of minimal elements, the worst case for an item-per-element normalizer.
 *
 *   npm run build && node -r ./scripts/register-ts.js bench/memory.bench.ts   (also part of `npm run bench`)
 *
 * Each shape runs in a child Node with a 2 GB heap (--max-old-space-size=2048), as a busy n8n
 * might have, and reports per body byte:
 *   parse      heap the parsed body holds (n8n pays it before any node runs): the baseline
 *   normalize  heap normalize() holds on to (its items), after a full GC
 *   high-water heap in use right after normalize() returned, before any GC: everything it
 *              allocated that no GC reclaimed meanwhile (an upper estimate of its peak)
 * and the ratio normalize ÷ parse. Goal: normalize's high-water at most 8× the body size.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type * as Package from '../index';
import { REGISTER_TS } from '../scripts/n8n-session';
import { printTable } from './stats';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'index.js');
const BODY_BYTES = Number(process.env.BENCH_BODY_MB || 16) * 1024 * 1024;
const GOAL = 8;
// The build under test (dist/), not the sources.
const loadBuild = createRequire(__filename);

if (!fs.existsSync(DIST)) {
	console.error('No build: run `npm run build` first.');
	process.exit(1);
}

/** Body shapes: a JSON prefix, one element repeated until the body is BODY_BYTES, a suffix. */
const SHAPES: Record<string, [prefix: string, element: string, suffix: string]> = {
	'On-Premise messages of {}': ['{"messages":[', '{}', ']}'],
	'On-Premise statuses of null': ['{"statuses":[', 'null', ']}'],
	'Cloud messages of {}': [
		'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[',
		'{}',
		']}}]}]}',
	],
	'Cloud changes of {}': ['{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[', '{}', ']}]}'],
	'Partner events {"event":"x"}': ['[', '{"event":"x"}', ']'],
	'Cloud text messages': [
		'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[',
		'{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}',
		']}}]}]}',
	],
};

/** What the child prints: sizes, the time normalize() took, and heap bytes per body byte. */
interface ChildResult {
	bytes: number;
	elements: number;
	items: number;
	ms: number;
	parse: number;
	normalize: number;
	highWater: number;
}

/** Runs in the child: builds the body, measures parse and normalize, prints one JSON line. */
function child(shapeName: string): void {
	const [prefix, element, suffix] = SHAPES[shapeName];
	const count = Math.floor((BODY_BYTES - prefix.length - suffix.length) / (element.length + 1));
	const text = prefix + new Array(count).fill(element).join(',') + suffix;
	const { normalize } = loadBuild(DIST) as typeof Package;
	const gc = global.gc;
	if (!gc) throw new Error('run the child with --expose-gc');
	const used = () => process.memoryUsage().heapUsed;
	gc();
	const start = used();
	const body: unknown = JSON.parse(text);
	gc();
	const parsed = used();
	const started = process.hrtime.bigint();
	let items: unknown[] | null = normalize(body);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const highWater = used();
	gc();
	const retained = used();
	const result: ChildResult = {
		bytes: text.length,
		elements: count,
		items: items.length,
		ms,
		parse: (parsed - start) / text.length,
		normalize: (retained - parsed) / text.length,
		highWater: (highWater - parsed) / text.length,
	};
	items = null;
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** One shape in a child Node with a 2 GB heap (this file again, through register-ts); null if it failed. */
function runChild(name: string): ChildResult | null {
	try {
		const args = ['--expose-gc', '--max-old-space-size=2048', '-r', REGISTER_TS, __filename, '--child', name];
		const out = execFileSync(process.execPath, args, {
			encoding: 'utf8',
			maxBuffer: 1024 * 1024,
			// A child that runs out of heap prints pages of V8 diagnostics: the row says it failed.
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		return JSON.parse(out.trim().split('\n').pop() ?? '') as ChildResult;
	} catch {
		return null;
	}
}

function main(): void {
	console.log(`memory benchmark: bodies of ${(BODY_BYTES / 1024 / 1024).toFixed(0)} MiB, each in a child Node with a 2 GB heap`);
	console.log('');
	const header = ['shape', 'elements', 'items', 'normalize ms', 'parse B/B', 'normalize B/B', 'high-water B/B', 'normalize ÷ parse'];
	const rows = [header];
	let worst = 0;
	let failed = false;
	for (const name of Object.keys(SHAPES)) {
		const result = runChild(name);
		if (!result) {
			failed = true;
			rows.push([name, 'FAILED (out of memory or crashed)', '', '', '', '', '', '']);
			continue;
		}
		worst = Math.max(worst, result.highWater);
		rows.push([
			name,
			String(result.elements),
			String(result.items),
			result.ms.toFixed(0),
			result.parse.toFixed(1),
			result.normalize.toFixed(2),
			result.highWater.toFixed(2),
			(result.normalize / result.parse).toFixed(2),
		]);
	}
	printTable(rows);
	console.log('');
	console.log('  B/B = heap bytes per body byte. parse is what n8n itself holds for the parsed body before any node runs.');
	console.log(`  worst normalize high-water: ${worst.toFixed(2)} B/B (goal <= ${GOAL}): ${!failed && worst <= GOAL ? 'within goal' : 'ABOVE GOAL'}`);
	if (failed) process.exitCode = 1;
}

if (process.argv[2] === '--child') child(process.argv[3]);
else main();
