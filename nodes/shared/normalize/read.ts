/**
 * Lenient readers for payload leaves, and strict checks for the containers the normalizer walks.
 * Meta changes leaf types without notice (numbers for ids, strings for numbers), so a leaf of an
 * unexpected type reads as null and the raw payload keeps it. A container of the wrong type
 * (`entry` that is not a list, a message that is not an object) means the body is not a WhatsApp
 * payload at all: that raises {@link InvalidPayloadError} with the path.
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

const WRONG_CONTAINER_HINT =
	'Pass the webhook body exactly as 360dialog sent it. If it went through another node, check that the field holds the parsed JSON body, not a changed copy.';

/**
 * A list of objects at `parent[key]`: missing or null reads as empty; anything but an array of
 * objects raises. `path` is built only when it is needed.
 */
export function objects(parent: JsonObject, key: string, path: () => string): JsonObject[] {
	const value = parent[key];
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		throw new InvalidPayloadError(
			`\`${key}\` must be a list, got ${describe(value)}`,
			`${path()}.${key}`,
			WRONG_CONTAINER_HINT,
		);
	}
	for (let index = 0; index < value.length; index++) {
		if (!isObject(value[index])) {
			throw new InvalidPayloadError(
				`\`${key}\` must hold objects, got ${describe(value[index])}`,
				`${path()}.${key}[${index}]`,
				WRONG_CONTAINER_HINT,
			);
		}
	}
	return value as JsonObject[];
}

/** An object at `parent[key]`, raising when it is missing or not an object. */
export function requiredObject(parent: JsonObject, key: string, path: () => string): JsonObject {
	const value = parent[key];
	if (!isObject(value)) {
		throw new InvalidPayloadError(
			`\`${key}\` must be an object, got ${describe(value)}`,
			`${path()}.${key}`,
			WRONG_CONTAINER_HINT,
		);
	}
	return value;
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

/** The instant of `value`, or `fallback` (the entry's time) when it holds no valid time. */
export function instantOr(value: unknown, fallback: Instant): Instant {
	const time = instant(value);
	return time.timestamp === null ? fallback : time;
}
