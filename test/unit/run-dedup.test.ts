/**
 * The trigger run's duplicate check against n8n's processed-data table (recordSeenInRun): what it
 * passes on, how it records, how it behaves when checks overlap or the table fails. The table is
 * MemoryProcessedData, which reads and writes back whole like n8n 2.40.7's helper.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { normalize } from '../../index';
import { dedupKey } from '../../nodes/shared/core/dedup';
import {
	inLine,
	RECENT_KEYS_PER_NODE,
	recentKeys,
	recordSeenInRun,
	rememberKeys,
	RUN_DEDUP_MAX_KEYS,
} from '../../nodes/shared/n8n/runDedup';
import { CHECKING_NODE, MemoryProcessedData } from '../support/processed-data';
import { change, cloudEnvelope } from '../support/payloads';

// A workflow id per test: the run remembers recent keys per workflow and node for the process.
const workflow = { id: 'wf1', active: true };
let testNumber = 0;
beforeEach(() => {
	workflow.id = `wf${++testNumber}`;
});
const node = CHECKING_NODE;

interface Options {
	table: MemoryProcessedData;
	mode?: WorkflowExecuteMode;
	dedupe?: boolean;
	warnings?: string[];
	nodeId?: string;
}

function runContext(items: INodeExecutionData[], options: Options): IExecuteFunctions {
	const staticData: IDataObject = {};
	const ownNode = { ...node, id: options.nodeId ?? node.id };
	return {
		getInputData: () => items,
		getNodeParameter: (name: string, _index: number, fallback: unknown) =>
			name === 'dedupe' ? (options.dedupe ?? true) : fallback,
		getWorkflowStaticData: () => staticData,
		getMode: () => options.mode ?? 'webhook',
		getWorkflow: () => workflow,
		getNode: () => ownNode,
		logger: { warn: (message: string) => options.warnings?.push(message) },
		helpers: options.table.helpersFor({ node: ownNode, workflow }),
	} as unknown as IExecuteFunctions;
}

const messages = (...ids: string[]): INodeExecutionData[] =>
	normalize(cloudEnvelope({ id: '1', changes: [change('messages', { messages: ids.map((id) => ({ id, from: '1', type: 'text', text: { body: id } })) })] })).map((event) => ({ json: JSON.parse(JSON.stringify(event)) as IDataObject }));

const idsOf = (output: INodeExecutionData[][]) => output[0].map((item) => item.json.messageId);

describe('the trigger run checks n8n processed data', () => {
	it('passes new events on and records them; the same events again end the run with no items', async () => {
		const table = new MemoryProcessedData();
		expect(
			idsOf(await recordSeenInRun.call(runContext(messages('w.1', 'w.2'), { table }))),
		).toEqual(['w.1', 'w.2']);
		expect(
			idsOf(await recordSeenInRun.call(runContext(messages('w.2', 'w.1'), { table }))),
		).toEqual([]);
		expect(
			idsOf(await recordSeenInRun.call(runContext(messages('w.2', 'w.3'), { table }))),
		).toEqual(['w.3']);
		// The keys recorded are the events' dedup keys, in one list for this workflow and node.
		const keys = messages('w.1', 'w.2', 'w.3').map(({ json }) => dedupKey(json as never));
		expect(table.rows.get(`${workflow.id}|n:node-1`)).toEqual(keys);
	});

	it('keeps the first of two items with the same key in one run', async () => {
		const table = new MemoryProcessedData();
		const items = messages('w.1', 'w.1');
		expect(await recordSeenInRun.call(runContext(items, { table }))).toEqual([[items[0]]]);
	});

	it('matches items that carry request headers or a media error by the event alone', async () => {
		const table = new MemoryProcessedData();
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		const decorated = messages('w.1').map(({ json }) => ({
			json: { ...json, headers: { host: 'n8n' }, mediaError: 'expired' },
		}));
		expect(idsOf(await recordSeenInRun.call(runContext(decorated, { table })))).toEqual([]);
	});

	it('overlapping runs in one process pass an event once, though the table itself would let both through', async () => {
		// The table alone: two overlapping checks of an existing list both see the key as new (read,
		// pause, write back).
		const raw = new MemoryProcessedData();
		await raw.checkProcessedAndRecord(['first'], 'node', { node, workflow }, { mode: 'entries' });
		const both = await Promise.all(
			[0, 1].map(
				async () =>
					await raw.checkProcessedAndRecord(['k'], 'node', { node, workflow }, { mode: 'entries' }),
			),
		);
		expect(both.map((result) => result.new)).toEqual([['k'], ['k']]);

		const table = new MemoryProcessedData();
		const outputs = await Promise.all(
			[0, 1, 2, 3, 4].map(
				async () => await recordSeenInRun.call(runContext(messages('w.9'), { table })),
			),
		);
		expect(outputs.map(idsOf).flat()).toEqual(['w.9']);
	});

	it('runs of different nodes do not wait for each other and keep separate records', async () => {
		const table = new MemoryProcessedData();
		const [a, b] = await Promise.all([
			recordSeenInRun.call(runContext(messages('w.1'), { table, nodeId: 'a' })),
			recordSeenInRun.call(runContext(messages('w.1'), { table, nodeId: 'b' })),
		]);
		expect([idsOf(a), idsOf(b)]).toEqual([['w.1'], ['w.1']]);
		expect([...table.rows.keys()].sort()).toEqual([`${workflow.id}|n:a`, `${workflow.id}|n:b`]);
	});

	it("puts back its recent keys when another worker's write overwrote them", async () => {
		const table = new MemoryProcessedData();
		const row = () => table.rows.get(`${workflow.id}|n:node-1`) ?? [];
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		await recordSeenInRun.call(runContext(messages('w.2'), { table }));
		// Another worker read the list before w.2 was added and wrote it back after: w.2 is gone.
		table.rows.set(`${workflow.id}|n:node-1`, row().slice(0, 1));
		expect(row()).toHaveLength(1);

		// The next check here sends w.2 along: it is recorded again, and only w.3 passes.
		expect(idsOf(await recordSeenInRun.call(runContext(messages('w.3'), { table })))).toEqual([
			'w.3',
		]);
		expect(row()).toHaveLength(3);
		expect(idsOf(await recordSeenInRun.call(runContext(messages('w.2'), { table })))).toEqual([]);
	});

	it('an event this process passed is a duplicate here even when the table lost its key', async () => {
		const table = new MemoryProcessedData();
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		table.rows.set(`${workflow.id}|n:node-1`, []);
		expect(idsOf(await recordSeenInRun.call(runContext(messages('w.1'), { table })))).toEqual([]);
	});

	it('remembers at most RECENT_KEYS_PER_NODE keys, newest kept', () => {
		const line = `${workflow.id}:ring`;
		rememberKeys(line, ['a', 'b', 'c'], 4);
		rememberKeys(line, ['b', 'd', 'e'], 4);
		expect(recentKeys(line)).toEqual(['c', 'b', 'd', 'e']);
		expect(RECENT_KEYS_PER_NODE).toBeGreaterThan(0);
	});

	it('asks for at most RUN_DEDUP_MAX_KEYS entries in mode entries', async () => {
		const seen: unknown[] = [];
		const table = new MemoryProcessedData();
		const original = table.checkProcessedAndRecord.bind(table);
		table.checkProcessedAndRecord = async (items, scope, contextData, options) => {
			seen.push({ scope, options });
			return await original(items, scope, contextData, options);
		};
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		expect(seen).toEqual([
			// Taking the workflow's lock (workflowLock.ts), then the check itself.
			{ scope: 'workflow', options: { mode: 'entries' } },
			{ scope: 'node', options: { mode: 'entries', maxEntries: RUN_DEDUP_MAX_KEYS } },
		]);
	});

	it('tries again once when the check fails (two first runs racing to insert the row)', async () => {
		const table = new MemoryProcessedData();
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		table.failNext = 1;
		expect(
			idsOf(await recordSeenInRun.call(runContext(messages('w.1', 'w.2'), { table }))),
		).toEqual(['w.2']);
		expect(table.calls).toBe(3);
	});

	it('passes every item on, with a warning, when the table fails twice: a duplicate rather than a lost event', async () => {
		const table = new MemoryProcessedData();
		await recordSeenInRun.call(runContext(messages('w.1'), { table }));
		table.failNext = 2;
		const warnings: string[] = [];
		expect(
			idsOf(await recordSeenInRun.call(runContext(messages('w.1'), { table, warnings }))),
		).toEqual(['w.1']);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('passing 1 event(s) on');
		expect(warnings[0]).toContain('PK_processed_data');
	});

	it('test runs (manual mode) and Skip Duplicate Deliveries off do not touch the table', async () => {
		const table = new MemoryProcessedData();
		for (const options of [{ mode: 'manual' as const }, { dedupe: false }]) {
			for (let i = 0; i < 2; i++) {
				expect(
					idsOf(await recordSeenInRun.call(runContext(messages('w.1'), { table, ...options }))),
				).toEqual(['w.1']);
			}
		}
		expect(table.calls).toBe(0);
	});
});

describe('inLine', () => {
	it('runs tasks with one key one after another, in order, and other keys alongside', async () => {
		const log: string[] = [];
		const task = (name: string, ms: number) => async () => {
			log.push(`start ${name}`);
			await new Promise((resolve) => setTimeout(resolve, ms));
			log.push(`end ${name}`);
			return name;
		};
		const results = await Promise.all([
			inLine('a', task('a1', 20)),
			inLine('a', task('a2', 1)),
			inLine('b', task('b1', 1)),
		]);
		expect(results).toEqual(['a1', 'a2', 'b1']);
		expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
		expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
	});

	it('a failed task does not stop the next one, and its error reaches its caller', async () => {
		const failed = inLine('c', async () => {
			throw new Error('boom');
		});
		const next = inLine('c', async () => 'ok');
		await expect(failed).rejects.toThrow('boom');
		await expect(next).resolves.toBe('ok');
	});
});
