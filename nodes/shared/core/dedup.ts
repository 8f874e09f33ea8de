import { createHash } from 'crypto';

import type { NormalizedEvent } from './schemas/normalized';

/**
 * Retry dedup. 360dialog redelivers anything not answered with 200, for up to 7 days, so the same
 * event can arrive more than once. Seen keys live in the node's static data: a map of a short
 * digest of each key → its expiry (unix seconds). n8n persists static data only for published
 * workflows, and rewrites the whole map on every run, so its size is bounded: {@link DEDUP_MAX_KEYS}
 * digests of about 30 bytes each.
 */
export const DEDUP_TTL_SECONDS = 24 * 60 * 60;
/**
 * Events with neither an id nor a timestamp are keyed by their content, and a genuine recurrence
 * (the same error twice in a day) looks exactly like a retry. Only a redelivery within this window
 * counts as one; 360dialog's first retries come within seconds to minutes.
 */
export const DEDUP_CONTENT_TTL_SECONDS = 10 * 60;
/** About 300 KB of static data: 24 hours of memory up to 10,000 events a day. */
export const DEDUP_MAX_KEYS = 10_000;
/**
 * How many keys one request may add. A request over it is still delivered whole; the events past
 * it are just not remembered, so one request cannot push every earlier key out of the memory.
 */
export const DEDUP_MAX_NEW_KEYS_PER_REQUEST = 1_000;

export interface SeenState {
	[digest: string]: number;
}

/** The identity of an event across retries, readable. */
export function dedupKey(event: NormalizedEvent): string {
	switch (event.kind) {
		case 'message':
		case 'echo':
			if (event.messageId !== null)
				return `${event.kind}:${event.phoneNumberId ?? ''}:${event.messageId}`;
			break;
		case 'status':
			// Each participant of a group reports its own statuses for the same message.
			if (event.messageId !== null)
				return `status:${event.messageId}:${event.status}${event.recipientParticipantId === null ? '' : `:${event.recipientParticipantId}`}`;
			break;
		case 'partner':
			if (event.eventId !== null) return `partner:${event.eventId}`;
			break;
	}
	return `hash:${contentHash(event)}`;
}

/** How long an event's key is kept: a day, or a short window for events keyed by content alone. */
export const ttlOf = (event: NormalizedEvent): number =>
	event.id === null && event.timestamp === null ? DEDUP_CONTENT_TTL_SECONDS : DEDUP_TTL_SECONDS;

/**
 * The key the run checks in n8n's processed-data table, which keeps keys until its cap rather than
 * for a time: a content-keyed event's key names its 10-minute window too, so only a redelivery in
 * the same window is a duplicate there, as in the static-data memory.
 */
export function runKey(event: NormalizedEvent, nowSeconds: number): string {
	const key = dedupKey(event);
	return ttlOf(event) === DEDUP_CONTENT_TTL_SECONDS
		? `${key}@${Math.floor(nowSeconds / DEDUP_CONTENT_TTL_SECONDS)}`
		: key;
}

/** What is stored for a key: 16 characters of its SHA-256 (96 bits) instead of 50 to 100. */
export const digestOf = (key: string): string =>
	createHash('sha256').update(key).digest('base64url').slice(0, 16);

/** Pieces of JSON text on the hashing stack, told apart from the values still to be written. */
class Text {
	constructor(readonly text: string) {}
}

/**
 * SHA-1 of a value's JSON-like text, without `raw` at the top and skipping undefined keys as
 * JSON.stringify does, written from an explicit stack: a body nested thousands of levels deep
 * would overflow the call stack of JSON.stringify.
 */
export function contentHash(event: object): string {
	const hash = createHash('sha1');
	let text = '';
	const stack: unknown[] = [event];
	while (stack.length > 0) {
		const node = stack.pop();
		if (text.length > 65_536) {
			hash.update(text);
			text = '';
		}
		if (node instanceof Text) {
			text += node.text;
		} else if (typeof node !== 'object' || node === null) {
			text += JSON.stringify(node) ?? 'null';
		} else if (Array.isArray(node)) {
			text += '[';
			stack.push(new Text(']'));
			for (let index = node.length - 1; index >= 0; index--) {
				stack.push(node[index]);
				if (index > 0) stack.push(new Text(','));
			}
		} else {
			text += '{';
			stack.push(new Text('}'));
			const entries = Object.entries(node).filter(
				([key, value]) => value !== undefined && !(node === event && key === 'raw'),
			);
			for (let index = entries.length - 1; index >= 0; index--) {
				stack.push(entries[index][1]);
				stack.push(new Text(`${index > 0 ? ',' : ''}${JSON.stringify(entries[index][0])}:`));
			}
		}
	}
	return hash.update(text).digest('base64');
}

const hasOwn = Object.prototype.hasOwnProperty;

export interface DedupLimits {
	maxKeys: number;
	maxNewKeys: number;
}

const LIMITS: DedupLimits = {
	maxKeys: DEDUP_MAX_KEYS,
	maxNewKeys: DEDUP_MAX_NEW_KEYS_PER_REQUEST,
};

/**
 * Keeps the events not seen before and records them (at most `maxNewKeys` new keys per call).
 * Expired keys are dropped first; when the map is over its cap, the oldest keys go. Returns whether
 * the state changed.
 */
export function dropSeen<T extends NormalizedEvent>(
	events: T[],
	seen: SeenState,
	nowSeconds: number,
	limits: DedupLimits = LIMITS,
): { fresh: T[]; changed: boolean } {
	let changed = false;
	for (const digest of Object.keys(seen)) {
		if (!(seen[digest] > nowSeconds)) {
			delete seen[digest];
			changed = true;
		}
	}
	const fresh: T[] = [];
	const batch = new Set<string>();
	let added = 0;
	for (const event of events) {
		const digest = digestOf(dedupKey(event));
		if (hasOwn.call(seen, digest) || batch.has(digest)) continue;
		batch.add(digest);
		fresh.push(event);
		if (added < limits.maxNewKeys) {
			seen[digest] = nowSeconds + ttlOf(event);
			added++;
			changed = true;
		}
	}
	const digests = Object.keys(seen);
	if (digests.length > limits.maxKeys) {
		// Insertion order is close to expiry order: all keys but the content-keyed ones live a day.
		for (let index = 0; index < digests.length - limits.maxKeys; index++)
			delete seen[digests[index]];
	}
	return { fresh, changed };
}
