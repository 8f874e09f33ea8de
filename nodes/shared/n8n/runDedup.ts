import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { dropSeen, runKey, type SeenState } from '../core/dedup';
import type { NormalizedEvent } from '../core/schemas/normalized';
import { holdsRegistration } from './registration';
import { LOCK_STALE_MS, underWorkflowLock } from './workflowLock';

/**
 * The triggers' execute(): n8n runs it as the first node of each run a webhook starts, with the
 * items webhook() returned. With Skip Duplicate Deliveries on, the run decides:
 *
 * - It asks n8n's processed-data table (`checkProcessedAndRecord`, scoped to this node, in n8n's
 *   database) which events were recorded before, records the others, and passes on only those. With
 *   several webhook processes the static-data check in webhook() races (each request loads and saves
 *   the whole static data), so a redelivery can reach the run; it ends here with no items. n8n's
 *   helper reads, then writes back, its list: the check runs in line within a process and under
 *   the workflow's lock across processes (workflowLock.ts), so two workers never both pass one event.
 * - It also writes the keys to static data, the fast pre-filter webhook() reads. Writing them in
 *   webhook() alone is not enough in n8n 2.40.7: starting the run resets the "changed" flag before
 *   n8n would save them, and the run reloads static data from the database. Only a run whose static
 *   data holds the registration writes (see holdsRegistration): a queue-mode worker's run starts
 *   from empty static data, and saving it would wipe the secret and the previous URL. In queue mode
 *   the pre-filter therefore learns nothing, and redeliveries end here.
 *
 * Test runs (manual mode) skip the database, as they skip static data. If the table cannot be read
 * or written twice in a row, the items pass: a duplicate is better than a lost event.
 */
export async function recordSeenInRun(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0 || this.getNodeParameter('dedupe', 0, true) !== true) return [items];
	const events = items.map(({ json }) => withoutAdditions(json) as unknown as NormalizedEvent);
	const state = this.getWorkflowStaticData('node');
	if (holdsRegistration(state)) {
		const seen = (state.seen ??= {}) as SeenState;
		dropSeen(events, seen, Math.floor(Date.now() / 1000));
	}
	if (this.getMode() === 'manual') return [items];

	const now = Math.floor(Date.now() / 1000);
	const keys = events.map((event) => runKey(event, now));
	const fresh = await newInDatabase(this, keys);
	if (fresh === undefined) return [items];
	const passed = new Set<string>();
	return [
		items.filter((_, index) => {
			const key = keys[index];
			if (!fresh.has(key) || passed.has(key)) return false;
			passed.add(key);
			return true;
		}),
	];
}

/** The keys n8n's processed-data table had not seen (now recorded), or undefined if it failed. */
async function newInDatabase(
	context: IExecuteFunctions,
	keys: string[],
): Promise<Set<string> | undefined> {
	const line = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	const own = new Set(keys);
	const check = async () => {
		// This process's recent keys go along, so that ones another worker overwrote are put back;
		// and one this process passed before is a duplicate even if the table lost it meanwhile.
		const passedHere = new Set(recentKeys(line));
		const asked = [...new Set([...keys, ...passedHere])];
		const result = await context.helpers.checkProcessedAndRecord(asked, 'node', {
			mode: 'entries',
			maxEntries: RUN_DEDUP_MAX_KEYS,
		});
		rememberKeys(line, [...own]);
		return result.new.map(String).filter((key) => own.has(key) && !passedHere.has(key));
	};
	// In line per process; across processes (queue mode) under the workflow's lock, which makes the
	// read-then-write of n8n's list atomic so two workers cannot both pass one redelivered event.
	const workflowId = String(context.getWorkflow().id ?? '');
	const checkLocked = async () => {
		const outcome = await underWorkflowLock(context.helpers, workflowId, check);
		if (!outcome.ran) throw new NodeOperationError(context.getNode(), outcome.error);
		if (outcome.releaseError !== undefined) {
			context.logger.warn(
				`360dialog: could not free the duplicate-check lock, other runs wait up to ${LOCK_STALE_MS / 1000} s: ${outcome.releaseError.message}`,
			);
		}
		return outcome.result;
	};
	for (let attempt = 1; ; attempt++) {
		try {
			return new Set(await inLine(line, checkLocked));
		} catch (error) {
			// The first runs of a node race to insert its row; the loser's second try updates it.
			if (attempt === 2) {
				context.logger.warn(
					`360dialog: could not check n8n's processed data, passing ${keys.length} event(s) on: ${(error as Error).message}`,
				);
				return undefined;
			}
		}
	}
}

/**
 * An item's event without what the trigger adds to it, so its dedup key matches webhook()'s
 * (undefined keys drop out of the content hash).
 */
const withoutAdditions = (json: IDataObject): IDataObject =>
	'headers' in json || 'mediaError' in json
		? { ...json, headers: undefined, mediaError: undefined }
		: json;

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
