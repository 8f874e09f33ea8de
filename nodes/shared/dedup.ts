import { createHash } from 'crypto';

import type { NormalizedEvent } from './schemas/normalized';

/**
 * Retry dedup. 360dialog redelivers anything not answered with 200, for up to 7 days, so the same
 * event can arrive more than once. Seen keys live in the node's static data: a capped map of
 * key → expiry (unix seconds). n8n persists static data only for published workflows.
 */
export const DEDUP_TTL_SECONDS = 24 * 60 * 60;
export const DEDUP_MAX_KEYS = 2000;

export interface SeenState {
	[key: string]: number;
}

/** The identity of an event across retries. */
export function dedupKey(event: NormalizedEvent): string {
	switch (event.kind) {
		case 'message':
		case 'echo':
			if (event.messageId !== null)
				return `${event.kind}:${event.phoneNumberId ?? ''}:${event.messageId}`;
			break;
		case 'status':
			if (event.messageId !== null) return `status:${event.messageId}:${event.status}`;
			break;
		case 'partner':
			if (event.eventId !== null) return `partner:${event.eventId}`;
			break;
	}
	// JSON.stringify drops undefined keys: the hash covers the event's content, not whether raw was kept.
	const content = JSON.stringify({ ...event, raw: undefined });
	return `hash:${createHash('sha1').update(content).digest('base64')}`;
}

/**
 * Keeps the events not seen before and records them. Expired keys are dropped first; when the map
 * is over its cap, the oldest keys go. Returns whether the state changed.
 */
export function dropSeen<T extends NormalizedEvent>(
	events: T[],
	seen: SeenState,
	nowSeconds: number,
	ttlSeconds = DEDUP_TTL_SECONDS,
	maxKeys = DEDUP_MAX_KEYS,
): { fresh: T[]; changed: boolean } {
	let changed = false;
	for (const key of Object.keys(seen)) {
		if (seen[key] <= nowSeconds) {
			delete seen[key];
			changed = true;
		}
	}
	const fresh: T[] = [];
	for (const event of events) {
		const key = dedupKey(event);
		if (seen[key] !== undefined) continue;
		seen[key] = nowSeconds + ttlSeconds;
		fresh.push(event);
		changed = true;
	}
	const keys = Object.keys(seen);
	if (keys.length > maxKeys) {
		// Insertion order is expiry order, because every key gets the same TTL.
		for (const key of keys.slice(0, keys.length - maxKeys)) delete seen[key];
	}
	return { fresh, changed };
}

/**
 * How many keys the run-time check keeps in n8n's processed-data table per trigger node. n8n stores
 * them as one list that every run rewrites, so the cap bounds that write.
 */
export const RUN_DEDUP_MAX_KEYS = 10000;

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task with the same `key` in this process has settled. n8n's
 * processed-data helper reads, then rewrites the stored list, so two runs of one workflow checking at
 * once in the same process would both see an event as new; in line, the second sees the first's write.
 */
export async function inLine<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	const result = previous.then(task, task);
	const tail = result.then(
		() => undefined,
		() => undefined,
	);
	tails.set(key, tail);
	try {
		return await result;
	} finally {
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** How many of its own recent keys a process writes again with every check (see recentKeys). */
export const RECENT_KEYS_PER_NODE = 500;

const recent = new Map<string, string[]>();

/**
 * The keys this process recorded last for `line` (a workflow's node), newest last. n8n's
 * processed-data list is read, then written back whole, so a check on another worker that read
 * before this one wrote can overwrite keys just recorded here. Sending them again with the next
 * check puts lost ones back (they come back as "new" and are recorded); for the run they are not
 * events, so they never decide what passes.
 */
export function recentKeys(line: string): string[] {
	return recent.get(line) ?? [];
}

export function rememberKeys(line: string, keys: string[], max = RECENT_KEYS_PER_NODE): void {
	const kept = [...recentKeys(line).filter((key) => !keys.includes(key)), ...keys];
	recent.set(line, kept.slice(Math.max(0, kept.length - max)));
}

/** Forgets every remembered key (a fresh process; the engine tests start each test like one). */
export function forgetRecentKeys(): void {
	recent.clear();
}
