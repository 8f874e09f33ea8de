'use strict';
/**
 * P4: one execution turns p4Items stored payloads into items through both 360dialog Normalize and a
 * hand-written Code node; each node's executionTime from n8n's run data. Runs alternate between the
 * two copies of the workflow (which branch runs first).
 */
const path = require('node:path');

const { SetupError, seconds } = require('../../scripts/n8n-session.ts');
const { post } = require('./http.js');
const { rest, waitForExecutions } = require('./n8n-rest.js');
const { IDS } = require('./workflows.js');

async function runP4({ config, n8nUrl, n8nBin, log }) {
	const t = Date.now();
	const flatted = require(require.resolve('flatted', { paths: [path.dirname(n8nBin)] }));
	const p4 = { normalize: [], code: [], items: null, runs: [] };
	const done = { [IDS.p4a]: 0, [IDS.p4b]: 0 };
	for (let i = 0; i < config.p4Runs; i++) {
		const normalizeFirst = i % 2 === 0;
		const id = normalizeFirst ? IDS.p4a : IDS.p4b;
		const status = await post(
			`${n8nUrl}/webhook/${normalizeFirst ? 'bench-p4-a' : 'bench-p4-b'}`,
			Buffer.from('{"go":true}'),
		);
		if (status !== 200) throw new SetupError(`P4 webhook answered ${status}`);
		done[id] += 1;
		const listing = await waitForExecutions(n8nUrl, id, done[id], 300000);
		const execution = await rest(n8nUrl, 'GET', `executions/${listing.results[0].id}`);
		if (execution.status !== 'success') {
			throw new SetupError(`P4 execution ${execution.id}: ${execution.status}`);
		}
		const runData = flatted.parse(execution.data).resultData.runData;
		const normalizeRun = runData['360dialog Normalize'][0];
		const codeRun = runData['Code Flatten'][0];
		p4.items = {
			input: runData['Build Payloads'][0].data.main[0].length,
			normalize: normalizeRun.data.main[0].length,
			code: codeRun.data.main[0].length,
		};
		p4.normalize.push(normalizeRun.executionTime);
		p4.code.push(codeRun.executionTime);
		p4.runs.push({ buildMs: runData['Build Payloads'][0].executionTime });
		log(
			`P4 run ${i + 1}/${config.p4Runs} (${normalizeFirst ? 'Normalize' : 'Code'} first): Normalize ${normalizeRun.executionTime} ms -> ${p4.items.normalize} items, Code ${codeRun.executionTime} ms -> ${p4.items.code} items (input ${p4.items.input})`,
		);
	}
	log(`P4 done (${seconds(Date.now() - t)})`);
	return p4;
}

module.exports = { runP4 };
