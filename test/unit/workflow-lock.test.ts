/**
 * The lock across n8n processes that the trigger run's duplicate check takes (workflowLock.ts),
 * against MemoryProcessedData, which behaves like n8n 2.40.7's processed-data table: read, pause,
 * write back whole; the first insert of a row wins on the primary key; an update of a deleted row
 * changes nothing. Contenders here call the lock directly, as runs on different workers would.
 */
import fc from 'fast-check';

import { forgetForeignRows, LOCK_ITEM, underWorkflowLock } from '../../nodes/shared/n8n/workflowLock';
import { CHECKING_NODE, MemoryProcessedData } from '../support/processed-data';

const node = CHECKING_NODE;
const workflow = { id: 'wf', active: true };
const lockRow = MemoryProcessedData.rowKey(workflow.id);
const helpersOf = (table: MemoryProcessedData) => table.helpersFor({ node, workflow });

beforeEach(() => forgetForeignRows());

/** One worker's duplicate check of `key`: true when it saw the key as new (and passed the event). */
async function check(table: MemoryProcessedData, key: string): Promise<boolean> {
	const answer = await helpersOf(table).checkProcessedAndRecord([key], 'node', { mode: 'entries' });
	return answer.new.length === 1;
}

describe('underWorkflowLock', () => {
	it('without it, workers checking one event at once both pass it; with it, exactly one does', async () => {
		const open = new MemoryProcessedData();
		await check(open, 'seeded');
		const unlocked = await Promise.all([0, 1, 2].map(async () => await check(open, 'k')));
		expect(unlocked.filter(Boolean).length).toBeGreaterThan(1);

		const table = new MemoryProcessedData();
		await check(table, 'seeded');
		const locked = await Promise.all(
			[0, 1, 2].map(
				async () =>
					await underWorkflowLock(
						helpersOf(table),
						workflow.id,
						async () => await check(table, 'k'),
					),
			),
		);
		expect(locked.map((outcome) => outcome.ran && outcome.locked)).toEqual([true, true, true]);
		expect(locked.filter((outcome) => outcome.ran && outcome.result)).toHaveLength(1);
		expect(table.rows.has(lockRow)).toBe(false);
	});

	it('any number of contenders with any table latency: each event passes exactly once, nothing is lost', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 2, max: 6 }),
				fc.integer({ min: 1, max: 4 }),
				fc.integer({ min: 0, max: 3 }),
				async (contenders, events, pauseMs) => {
					const table = new MemoryProcessedData(pauseMs);
					const keys = Array.from({ length: events }, (_, i) => `e${i}`);
					const runs = keys.flatMap((key) =>
						Array.from({ length: contenders }, async () => {
							const outcome = await underWorkflowLock(
								helpersOf(table),
								workflow.id,
								async () => await check(table, key),
							);
							return outcome.ran && outcome.result ? key : undefined;
						}),
					);
					const passed = (await Promise.all(runs)).filter((key) => key !== undefined);
					expect(passed.sort()).toEqual(keys);
					expect(table.rows.has(lockRow)).toBe(false);
				},
			),
			{ numRuns: 25 },
		);
	});

	it("steps aside for good when the workflow-scope list is another node's, and leaves its data as it was", async () => {
		const table = new MemoryProcessedData(0);
		table.rows.set(lockRow, ['a Remove Duplicates entry']);
		const first = await underWorkflowLock(helpersOf(table), workflow.id, async () => 'ran');
		expect(first).toEqual({ ran: true, result: 'ran', locked: false });
		expect(table.rows.get(lockRow)).toEqual(['a Remove Duplicates entry']);

		const callsBefore = JSON.stringify([...table.rows]);
		const second = await underWorkflowLock(helpersOf(table), workflow.id, async () => 'ran again');
		expect(second).toEqual({ ran: true, result: 'ran again', locked: false });
		expect(JSON.stringify([...table.rows])).toBe(callsBefore);
	});

	it('steps aside when that list is kept in another mode (n8n refuses to mix them)', async () => {
		const table = new MemoryProcessedData(0);
		const helpers = {
			...helpersOf(table),
			checkProcessedAndRecord: async () => {
				throw new Error(
					'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter.',
				);
			},
		};
		expect(await underWorkflowLock(helpers, workflow.id, async () => 1)).toEqual({
			ran: true,
			result: 1,
			locked: false,
		});
	});

	it('takes over a lock whose holder died (a killed worker) once it is older than the stale limit', async () => {
		const table = new MemoryProcessedData(0);
		table.rows.set(lockRow, [LOCK_ITEM]);
		const started = Date.now();
		const outcome = await underWorkflowLock(helpersOf(table), workflow.id, async () => 'ran', 60);
		expect(outcome).toEqual({
			ran: true,
			result: 'ran',
			locked: true,
			releaseError: undefined,
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(60);
		expect(table.rows.has(lockRow)).toBe(false);
	});

	it("returns the task's result with the error when freeing the lock fails", async () => {
		const table = new MemoryProcessedData(0);
		table.failNextClear = 1;
		const outcome = await underWorkflowLock(helpersOf(table), workflow.id, async () => ['k']);
		expect(outcome).toMatchObject({ ran: true, result: ['k'], locked: true });
		expect(outcome.ran && outcome.releaseError?.message).toBe('Connection terminated unexpectedly');
	});

	it('frees the lock and passes on the error when the task fails', async () => {
		const table = new MemoryProcessedData(0);
		await expect(
			underWorkflowLock(helpersOf(table), workflow.id, async () => {
				throw new Error('task failed');
			}),
		).rejects.toThrow('task failed');
		expect(table.rows.has(lockRow)).toBe(false);
	});

	it('gives up after three failures, without running the task, and says why', async () => {
		const table = new MemoryProcessedData(0);
		let attempts = 0;
		const helpers = {
			...helpersOf(table),
			checkProcessedAndRecord: async () => {
				attempts += 1;
				throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
			},
		};
		let ran = false;
		const outcome = await underWorkflowLock(helpers, workflow.id, async () => {
			ran = true;
		});
		expect(outcome).toEqual({
			ran: false,
			error: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
		});
		expect(ran).toBe(false);
		expect(attempts).toBe(3);
	});
});
