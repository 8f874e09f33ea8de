/**
 * An in-memory stand-in for n8n's processed-data table with the behaviour of n8n 2.40.7's
 * DeduplicationHelper (`packages/cli/src/deduplication/deduplication-helper.ts`) in mode `entries`:
 * one list per workflow and context (`n:<node id>` for scope node), read, checked, then written back
 * whole, with a pause between the read and the write where the database round trips are. Two
 * checks that overlap therefore both see a key as new, as with n8n's real table.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

/** The node whose runs check the table in the tests (n8n keys a node-scope list by its id). */
export const CHECKING_NODE = {
	id: 'node-1',
	name: 'Trigger',
	type: 't',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

export class MemoryProcessedData implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();
	/**
	 * Checks of node-scope lists so far; `failNext` makes the next ones throw, like a unique-key
	 * clash on first insert. Workflow-scope checks (the run's lock) are not counted and never fail.
	 */
	calls = 0;
	failNext = 0;
	/** Makes the next clearAllProcessedItems calls throw, like a lost database connection. */
	failNextClear = 0;

	constructor(private readonly pauseMs = 5) {}

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		const context = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return `${contextData.workflow.id}|${context}`;
	}

	/** n8n's row for a workflow and context, as this store keys it (for tests that set rows up). */
	static rowKey(workflowId: string, nodeId?: string): string {
		return `${workflowId}|${nodeId === undefined ? '' : `n:${nodeId}`}`;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (scope === 'node') this.calls += 1;
		if (scope === 'node' && this.failNext > 0) {
			this.failNext -= 1;
			throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
		}
		const key = this.rowKey(scope, contextData);
		const read = this.rows.get(key);
		await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
		const stored = [...(read ?? [])];
		const known = new Set(stored);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (known.has(String(item))) result.processed.push(item);
			else {
				result.new.push(item);
				stored.push(String(item));
				known.add(String(item));
			}
		}
		if (options.maxEntries) stored.splice(0, stored.length - options.maxEntries);
		if (read === undefined) {
			// INSERT: the primary key (workflow, context) lets only the first of two racing writers in.
			if (this.rows.has(key)) {
				throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			}
			this.rows.set(key, stored);
		} else if (this.rows.has(key)) {
			// UPDATE ... WHERE workflow and context: a row deleted meanwhile stays deleted.
			this.rows.set(key, stored);
		}
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		const key = this.rowKey(scope, contextData);
		const stored = this.rows.get(key);
		if (stored === undefined) return;
		const removed = new Set(items.map(String));
		this.rows.set(
			key,
			stored.filter((item) => !removed.has(item)),
		);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		if (this.failNextClear > 0) {
			this.failNextClear -= 1;
			throw new Error('Connection terminated unexpectedly');
		}
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		return this.rows.get(this.rowKey(scope, contextData))?.length ?? 0;
	}

	/** The processed-data helpers n8n-core gives a node of `contextData`'s workflow, over this table. */
	helpersFor(contextData: ICheckProcessedContextData) {
		return {
			checkProcessedAndRecord: async (
				items: DeduplicationItemTypes[],
				scope: DeduplicationScope,
				options: ICheckProcessedOptions,
			) => await this.checkProcessedAndRecord(items, scope, contextData, options),
			getProcessedDataCount: async (scope: DeduplicationScope) =>
				await this.getProcessedDataCount(scope, contextData),
			removeProcessed: async (items: DeduplicationItemTypes[], scope: DeduplicationScope) =>
				await this.removeProcessed(items, scope, contextData),
			clearAllProcessedItems: async (scope: DeduplicationScope) =>
				await this.clearAllProcessedItems(scope, contextData),
		};
	}
}
