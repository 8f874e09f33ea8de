import {
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';

import { dedupKey, digestOf, dropSeen, type SeenState } from '../../nodes/shared/core/dedup';
import { normalize } from '../../index';
import { recordSeenInRun } from '../../nodes/shared/n8n/runDedup';
import { change, cloudEnvelope } from '../support/payloads';

/**
 * How n8n 2.40.7 treats a webhook's static data, reproduced with n8n-workflow's own Workflow:
 * starting the run builds a second Workflow over the same objects, which resets the "changed" flag
 * before n8n saves the webhook's writes, and the run itself starts from static data reloaded from
 * the database. The trigger's execute() therefore records the seen keys again, in the run.
 */
const node: INode = { id: 'n1', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const workflowOver = (staticData: object) =>
	new Workflow({ id: 'wf1', nodes: [node], connections: {}, active: true, nodeTypes, staticData: staticData as never });

const body = cloudEnvelope({
	id: '1',
	changes: [
		change('messages', {
			messages: [{ id: 'wamid.1', from: '1', type: 'text', text: { body: 'hi' } }],
			statuses: [{ id: 'wamid.0', status: 'read', recipient_id: '1' }],
			errors: [{ code: 1, title: 'hashed, no id' }],
		}),
	],
});

function runContext(run: Workflow, items: Array<{ json: IDataObject }>, dedupe = true) {
	return {
		getWorkflowStaticData: (type: 'node' | 'global') => run.getStaticData(type, node),
		getInputData: () => items,
		getNodeParameter: (name: string, _index: number, fallback: unknown) => (name === 'dedupe' ? dedupe : fallback),
		// A test run: the processed-data table is not involved (test/unit/run-dedup.test.ts is about it).
		getMode: () => 'manual',
	} as unknown as IExecuteFunctions;
}

describe('dedup memory across the webhook phase and the run', () => {
	it('the webhook phase loses its writes; the run records the same keys and marks them for saving', async () => {
		const database = JSON.stringify({ 'node:Trigger': { secret: 's' } });
		const stored = JSON.parse(database) as object;
		const events = normalize(body);

		const webhookPhase = workflowOver(stored);
		const seenInWebhook = (webhookPhase.getStaticData('node', node).seen ??= {}) as SeenState;
		expect(dropSeen(events, seenInWebhook, 1000).fresh).toHaveLength(3);
		expect(webhookPhase.staticData.__dataChanged).toBe(true);
		workflowOver(stored); // the run's context Workflow, over the same objects
		expect(webhookPhase.staticData.__dataChanged).toBe(false);

		// The run reloads static data from the database, where the webhook's writes never arrived.
		const run = workflowOver(JSON.parse(database) as object);
		// Items as they reach the run: JSON copies, one with request headers added by the trigger.
		const items = events.map((event, index) => ({
			json: { ...(JSON.parse(JSON.stringify(event)) as IDataObject), ...(index === 2 ? { headers: { host: 'x' } } : {}) },
		}));
		expect(await recordSeenInRun.call(runContext(run, items))).toEqual([items]);
		expect(run.staticData.__dataChanged).toBe(true);
		const seenInRun = (JSON.parse(JSON.stringify(run.staticData)) as { 'node:Trigger': { seen: SeenState } })['node:Trigger'].seen;
		expect(Object.keys(seenInRun).sort()).toEqual(events.map((event) => digestOf(dedupKey(event))).sort());
	});

	it('a run on empty static data (a queue-mode worker) writes nothing, so n8n does not save it over the registration', async () => {
		// n8n 2.40.7 stores no static data with a queued execution; the worker's run starts from {}.
		const run = workflowOver({});
		const items = normalize(body).map((event) => ({ json: JSON.parse(JSON.stringify(event)) as IDataObject }));
		expect(await recordSeenInRun.call(runContext(run, items))).toEqual([items]);
		expect(run.staticData.__dataChanged).toBe(false);
	});

	it('records nothing when Skip Duplicate Deliveries is off', async () => {
		const run = workflowOver({ 'node:Trigger': { secret: 's' } });
		await recordSeenInRun.call(runContext(run, [{ json: { a: 1 } }], false));
		expect(run.staticData.__dataChanged).toBe(false);
	});
});
