import type { Sink } from './emit';
import type { BusinessNumber } from './items';

/**
 * Lenient readers for payload leaves, and checks for the containers the normalizer walks. Meta
 * changes leaf types without notice (numbers for ids, strings for numbers), so a leaf of an
 * unexpected type reads as null and the raw payload keeps it. A container of the wrong type (`entry`
 * that is not a list, a message that is not an object) becomes an `unknown` item with its path and
 * the reason, and the rest of the body is read as usual. Only a body that is not a 360dialog
 * webhook at all raises {@link InvalidPayloadError}.
 */

export type JsonObject = Record<string, unknown>;

/** The one error `normalize` raises: what was wrong, where, and how to fix it. */
export class InvalidPayloadError extends Error {
	override readonly name = 'InvalidPayloadError';

	constructor(
		/** What was wrong, e.g. "`entry` must be a list". */
		readonly reason: string,
		/** Where, as a JSON path: `$.entry[0].changes`. `$` is the whole body. */
		readonly path: string,
		/** How to fix it. */
		readonly hint: string,
	) {
		super(`${reason} (at ${path})`);
	}
}

export const isObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export function str(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

export function num(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : null;
	}
	return null;
}

export const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

export const obj = (value: unknown): JsonObject | null => (isObject(value) ? value : null);

/** The first argument that is not null (`??` over lenient reads). */
export function first<T>(...values: Array<T | null | undefined>): T | null {
	for (const value of values) if (value !== null && value !== undefined) return value;
	return null;
}

/**
 * The objects of the list at `parent[key]`: missing or null reads as empty. A value that is not a
 * list, and each element that is not an object, goes to `out.invalid` with its path, so one bad
 * element never costs its siblings. `path` is built only when it is needed.
 */
export function objects(
	out: Sink,
	parent: JsonObject,
	key: string,
	path: () => string,
	origin?: BusinessNumber,
): JsonObject[] {
	const value = parent[key];
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		out.invalid(
			value,
			() => `${path()}.${key}`,
			() => `\`${key}\` must be a list, got ${describe(value)}`,
			origin,
		);
		return [];
	}
	for (let index = 0; index < value.length; index++) {
		if (!isObject(value[index])) return salvage(out, value, key, path, origin);
	}
	return value as JsonObject[];
}

function salvage(
	out: Sink,
	list: unknown[],
	key: string,
	path: () => string,
	origin: BusinessNumber | undefined,
): JsonObject[] {
	const kept: JsonObject[] = [];
	for (let index = 0; index < list.length; index++) {
		const element = list[index];
		if (isObject(element)) kept.push(element);
		else
			out.invalid(
				element,
				() => `${path()}.${key}[${index}]`,
				() => `\`${key}\` must hold objects, got ${describe(element)}`,
				origin,
			);
	}
	return kept;
}

export function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value.length > 40 ? 'a string' : `the string "${value}"`;
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface Instant {
	timestamp: string | null;
	timestampUnix: number | null;
}

const NO_TIME: Instant = { timestamp: null, timestampUnix: null };

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
/** Years 1970-9999, the only ones a webhook timestamp takes. */
const FAST_RANGE_MS = 253402300800000;

/**
 * `new Date(ms).toISOString()`, without the Date: the civil-from-days algorithm (H. Hinnant). It
 * runs for every item, and the Date round trip was a tenth of normalize's cost.
 */
export function isoString(ms: number): string {
	if (!(ms >= 0 && ms < FAST_RANGE_MS)) return new Date(ms).toISOString();
	const days = Math.floor(ms / 86400000);
	let rest = ms - days * 86400000;
	const hours = Math.floor(rest / 3600000);
	rest -= hours * 3600000;
	const minutes = Math.floor(rest / 60000);
	rest -= minutes * 60000;
	const seconds = Math.floor(rest / 1000);
	const millis = Math.floor(rest - seconds * 1000);
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const dayOfEra = z - era * 146097;
	const yearOfEra = Math.floor(
		(dayOfEra -
			Math.floor(dayOfEra / 1460) +
			Math.floor(dayOfEra / 36524) -
			Math.floor(dayOfEra / 146096)) /
			365,
	);
	const dayOfYear =
		dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
	const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	const ms3 = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
	return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${ms3}Z`;
}

/**
 * Unix seconds (number or numeric string) or an ISO date string, to ISO 8601 UTC. Anything else,
 * such as Meta's test value "asdf", reads as no timestamp.
 */
export function instant(value: unknown): Instant {
	if (value === undefined || value === null) return NO_TIME;
	const seconds = num(value);
	if (seconds !== null) {
		// Some sources send milliseconds; a seconds value that large would be past the year 33658.
		const unix = seconds > 1e12 ? Math.floor(seconds / 1000) : seconds;
		const ms = Math.trunc(unix * 1000);
		// Outside the range a Date can hold (±8.64e15 ms) there is no timestamp.
		if (!(Math.abs(ms) <= 8.64e15)) return NO_TIME;
		return { timestamp: isoString(ms), timestampUnix: unix };
	}
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
		const ms = Date.parse(value);
		if (!Number.isNaN(ms))
			return { timestamp: new Date(ms).toISOString(), timestampUnix: Math.floor(ms / 1000) };
	}
	return NO_TIME;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * JSON text of a value, cut to `maxDepth` levels (deeper parts read `"[…]"`) and about `maxLength`
 * characters (longer text ends in `…`). JSON.stringify would throw on a value nested thousands of
 * levels deep and copy a huge one whole; this never throws and stays small.
 */
export function boundedJson(value: unknown, maxDepth = 32, maxLength = 16_384): string {
	const parts: string[] = [];
	let length = 0;
	const put = (text: string): void => {
		parts.push(text);
		length += text.length;
	};
	const write = (node: unknown, depth: number): void => {
		if (typeof node !== 'object' || node === null) return put(JSON.stringify(node) ?? 'null');
		if (depth >= maxDepth) return put('"[…]"');
		if (Array.isArray(node)) {
			put('[');
			for (let index = 0; index < node.length && length <= maxLength; index++) {
				if (index > 0) put(',');
				write(node[index], depth + 1);
			}
			return put(']');
		}
		put('{');
		let count = 0;
		// for-in rather than Object.entries: it stops reading once the text is long enough.
		for (const key in node) {
			if (length > maxLength) break;
			const child = (node as JsonObject)[key];
			if (!hasOwn.call(node, key) || child === undefined) continue;
			put(`${count++ > 0 ? ',' : ''}${JSON.stringify(key)}:`);
			write(child, depth + 1);
		}
		put('}');
	};
	write(value, 0);
	const text = parts.join('');
	return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/** What stands in for a part of a body nested deeper than the limit. */
export const CUT_MARKER = '[cut: nested too deep]';

/** Whether any part of a value is nested deeper than `maxDepth` levels, checked without recursion. */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
	// Two parallel stacks rather than one of pairs: a body can hold millions of nodes.
	const nodes: unknown[] = [value];
	const depths: number[] = [0];
	while (nodes.length > 0) {
		const node = nodes.pop();
		const depth = depths.pop() as number;
		if (typeof node !== 'object' || node === null) continue;
		if (depth >= maxDepth) return true;
		if (Array.isArray(node)) {
			for (const child of node) {
				if (typeof child === 'object' && child !== null) {
					nodes.push(child);
					depths.push(depth + 1);
				}
			}
			continue;
		}
		for (const key in node) {
			const child = (node as JsonObject)[key];
			if (typeof child === 'object' && child !== null && hasOwn.call(node, key)) {
				nodes.push(child);
				depths.push(depth + 1);
			}
		}
	}
	return false;
}

/**
 * The value with every part deeper than `maxDepth` levels replaced by {@link CUT_MARKER}, or the
 * value itself when nothing is that deep. n8n stores items as JSON, and JSON.stringify overflows the
 * call stack a few thousand levels down: such a part is noise, but the rest of the body is not.
 */
export function limitDepth(value: unknown, maxDepth: number): unknown {
	if (!nestedDeeperThan(value, maxDepth)) return value;
	// Recursion is bounded by maxDepth here.
	const copy = (node: unknown, depth: number): unknown => {
		if (typeof node !== 'object' || node === null) return node;
		if (depth >= maxDepth) return CUT_MARKER;
		if (Array.isArray(node)) return node.map((child) => copy(child, depth + 1));
		const entries: Array<[string, unknown]> = [];
		for (const key in node) {
			if (hasOwn.call(node, key)) entries.push([key, copy((node as JsonObject)[key], depth + 1)]);
		}
		return Object.fromEntries(entries);
	};
	return copy(value, 0);
}

/** The instant of `value`, or `fallback` (the entry's time) when it holds no valid time. */
export function instantOr(value: unknown, fallback: Instant): Instant {
	const time = instant(value);
	return time.timestamp === null ? fallback : time;
}
