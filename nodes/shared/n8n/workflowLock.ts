import { sleep, type DeduplicationHelperFunctions } from 'n8n-workflow';

/**
 * A lock across n8n processes, for the trigger run's duplicate check in queue mode.
 *
 * n8n's processed-data helper reads a list, then writes it back whole, with no lock: two workers
 * checking the same redelivered event at once both see it as new. The one atomic step it offers is
 * the first insert of a list's row, which the table's primary key (workflow, context) lets only one
 * writer win. So the lock is a row: the workflow-scope list holding just {@link LOCK_ITEM}. Taking it
 * is recording that item into an absent row; a holder frees it by deleting the row.
 *
 * The workflow scope is shared with other nodes of the same workflow (n8n's Remove Duplicates node
 * can use it). A row that holds anything else is someone else's: the lock steps aside for good
 * (`foreign`) and the check runs unlocked, as it did before.
 */
export const LOCK_ITEM = 'n8n-nodes-360dialog:run-lock';
/** A holder that has not freed the lock after this long is taken to have died (a killed worker). */
export const LOCK_STALE_MS = 15_000;

type LockHelpers = Pick<
	DeduplicationHelperFunctions,
	'checkProcessedAndRecord' | 'getProcessedDataCount' | 'removeProcessed' | 'clearAllProcessedItems'
>;

export type LockOutcome<T> =
	| {
			ran: true;
			result: T;
			/** Whether the task ran under the lock; false when the workflow scope is another node's. */
			locked: boolean;
			/** Freeing the lock failed: it stays taken until {@link LOCK_STALE_MS} passes. */
			releaseError?: Error;
	  }
	/** The table kept failing: the task did not run. */
	| { ran: false; error: Error };

const ENTRIES = { mode: 'entries' } as const;

/** Workflows whose workflow-scope list belongs to another node, found by this process. */
const foreignRows = new Set<string>();

/** How many failures other than a lost race for the row end the wait. */
const MAX_FAILURES = 3;

/**
 * Runs `task` while holding the workflow's lock. `workflowId` only keys this process's memory of
 * foreign rows. When the table keeps failing, the task does not run and the outcome says why.
 * Errors of the task reach the caller after the lock is freed; a failure to free it is returned,
 * not thrown, so that the task's result (keys it recorded) is not lost to it.
 */
export async function underWorkflowLock<T>(
	helpers: LockHelpers,
	workflowId: string,
	task: () => Promise<T>,
	staleMs = LOCK_STALE_MS,
): Promise<LockOutcome<T>> {
	const lock = foreignRows.has(workflowId)
		? 'foreign'
		: await acquire(helpers, workflowId, staleMs);
	if (lock instanceof Error) return { ran: false, error: lock };
	if (lock === 'foreign') return { ran: true, result: await task(), locked: false };
	let releaseError: Error | undefined;
	let result: T;
	try {
		result = await task();
	} finally {
		releaseError = await release(helpers);
	}
	return { ran: true, result, locked: true, releaseError };
}

async function release(helpers: LockHelpers): Promise<Error | undefined> {
	try {
		await helpers.clearAllProcessedItems('workflow', ENTRIES);
		return undefined;
	} catch (error) {
		return error as Error;
	}
}

/** Waits for the lock: 'taken', 'foreign' when the row is another node's, or the table's error. */
async function acquire(
	helpers: LockHelpers,
	workflowId: string,
	staleMs: number,
): Promise<'taken' | 'foreign' | Error> {
	let waitingSince = Date.now();
	let pause = 2;
	let failures = 0;
	for (;;) {
		try {
			const answer = await helpers.checkProcessedAndRecord([LOCK_ITEM], 'workflow', ENTRIES);
			if (answer.new.length === 1) {
				// Recording into an existing list answers "new" too: only a list of our item alone is ours.
				if ((await helpers.getProcessedDataCount('workflow', ENTRIES)) === 1) return 'taken';
				await helpers.removeProcessed([LOCK_ITEM], 'workflow', ENTRIES);
				return stepAside(workflowId);
			}
			if (Date.now() - waitingSince > staleMs) {
				await helpers.clearAllProcessedItems('workflow', ENTRIES);
				waitingSince = Date.now();
			}
		} catch (error) {
			if (isModeClash(error)) return stepAside(workflowId);
			// A unique-key clash: another process inserted the row between our read and insert, so it
			// holds the lock. Anything else counts as a failure.
			if (!isUniqueClash(error) && ++failures >= MAX_FAILURES) return error as Error;
		}
		await sleep(pause + Math.random() * pause);
		pause = Math.min(pause * 2, 50);
	}
}

function stepAside(workflowId: string): 'foreign' {
	foreignRows.add(workflowId);
	return 'foreign';
}

/** n8n's DeduplicationError for a list kept in another mode (a Remove Duplicates node's "latest"). */
const isModeClash = (error: unknown) =>
	error instanceof Error && /incompatible setting/i.test(error.message);

/** The primary-key violation of PostgreSQL, SQLite or MySQL when two inserts race. */
const isUniqueClash = (error: unknown) =>
	error instanceof Error && /duplicate key|unique constraint|duplicate entry/i.test(error.message);

/** Forgets the foreign rows found so far (a fresh process; tests start each case like one). */
export function forgetForeignRows(): void {
	foreignRows.clear();
}
