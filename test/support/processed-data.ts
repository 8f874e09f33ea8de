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

export class MemoryProcessedData implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();
	/** Checks so far; `failNext` makes the next ones throw, like a unique-key clash on first insert. */
	calls = 0;
	failNext = 0;

	constructor(private readonly pauseMs = 5) {}

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		const context = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return `${contextData.workflow.id}|${context}`;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls += 1;
		if (this.failNext > 0) {
			this.failNext -= 1;
			throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
		}
		const key = this.rowKey(scope, contextData);
		const stored = [...(this.rows.get(key) ?? [])];
		await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
		const known = new Set(stored);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (known.has(String(item))) result.processed.push(item);
			else {
				result.new.push(item);
				stored.push(String(item));
			}
		}
		if (options.maxEntries) stored.splice(0, stored.length - options.maxEntries);
		this.rows.set(key, stored);
		return result;
	}

	async removeProcessed(): Promise<void> {}

	async clearAllProcessedItems(): Promise<void> {
		this.rows.clear();
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		return this.rows.get(this.rowKey(scope, contextData))?.length ?? 0;
	}
}
