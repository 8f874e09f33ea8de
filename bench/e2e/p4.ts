/**
 * P4: one execution turns p4Items stored payloads into items through both 360dialog Normalize and a
 * hand-written Code node; each node's executionTime from n8n's run data. Runs alternate between the
 * two copies of the workflow (which branch runs first).
 */
import { createRequire } from 'node:module';

import { SetupError, seconds, type Log } from '../../scripts/n8n-session';
import type { BenchConfig } from './config';
import { post } from './http';
import { rest, waitForExecutions } from './n8n-rest';
import { IDS } from './workflows';

export interface P4Result {
	/** executionTime (ms) of each node, one entry per run. */
	normalize: number[];
	code: number[];
	/** Item counts of the last run. */
	items: { input: number; normalize: number; code: number } | null;
	runs: Array<{ buildMs: number }>;
}

/** One node's run in n8n's run data. */
interface NodeRun {
	executionTime: number;
	data: { main: unknown[][] };
}

/** GET /rest/executions/:id; `data` is n8n's run data, serialised with `flatted`. */
interface ExecutionDetail {
	id: string;
	status: string;
	data: string;
}

type Flatted = { parse(text: string): { resultData: { runData: Record<string, NodeRun[]> } } };

/** Posts to one P4 copy and returns the run data of the execution it started. */
async function runOnce(
	n8nUrl: string,
	flatted: Flatted,
	normalizeFirst: boolean,
	done: Record<string, number>,
): Promise<Record<string, NodeRun[]>> {
	const id = normalizeFirst ? IDS.p4a : IDS.p4b;
	const status = await post(
		`${n8nUrl}/webhook/${normalizeFirst ? 'bench-p4-a' : 'bench-p4-b'}`,
		Buffer.from('{"go":true}'),
		{},
		false,
	);
	if (status !== 200) throw new SetupError(`P4 webhook answered ${status}`);
	done[id] += 1;
	const listing = await waitForExecutions(n8nUrl, id, done[id], 300000);
	const execution = await rest<ExecutionDetail>(n8nUrl, 'GET', `executions/${listing.results[0].id}`);
	if (execution.status !== 'success') {
		throw new SetupError(`P4 execution ${execution.id}: ${execution.status}`);
	}
	return flatted.parse(execution.data).resultData.runData;
}

export async function runP4({
	config,
	n8nUrl,
	n8nBin,
	log,
}: {
	config: BenchConfig;
	n8nUrl: string;
	n8nBin: string;
	log: Log;
}): Promise<P4Result> {
	const t = Date.now();
	// n8n's own copy of flatted, the format of its stored run data, found from n8n's binary.
	const flatted = createRequire(n8nBin)('flatted') as Flatted;
	const p4: P4Result = { normalize: [], code: [], items: null, runs: [] };
	const done = { [IDS.p4a]: 0, [IDS.p4b]: 0 };
	for (let i = 0; i < config.p4Runs; i++) {
		const normalizeFirst = i % 2 === 0;
		const runData = await runOnce(n8nUrl, flatted, normalizeFirst, done);
		const normalizeRun = runData['360dialog Normalize'][0];
		const codeRun = runData['Code Flatten'][0];
		const items = {
			input: runData['Build Payloads'][0].data.main[0].length,
			normalize: normalizeRun.data.main[0].length,
			code: codeRun.data.main[0].length,
		};
		p4.items = items;
		p4.normalize.push(normalizeRun.executionTime);
		p4.code.push(codeRun.executionTime);
		p4.runs.push({ buildMs: runData['Build Payloads'][0].executionTime });
		log(
			`P4 run ${i + 1}/${config.p4Runs} (${normalizeFirst ? 'Normalize' : 'Code'} first): Normalize ${normalizeRun.executionTime} ms -> ${items.normalize} items, Code ${codeRun.executionTime} ms -> ${items.code} items (input ${items.input})`,
		);
	}
	log(`P4 done (${seconds(Date.now() - t)})`);
	return p4;
}
