import { Workflow, type INode, type INodeTypes, type IExecuteFunctions } from 'n8n-workflow';

import { dropSeen, type SeenState } from '../../nodes/shared/dedup';
import { normalize } from '../../index';
import { passThroughAndKeepMemory } from '../../nodes/shared/webhook';

/**
 * How n8n 2.40 handles a webhook's static data, reproduced with n8n-workflow's own Workflow: the
 * webhook phase and the run it starts build two Workflow objects over the same static data, and
 * the second one resets the "changed" flag. The trigger's execute() must mark it changed again,
 * or the dedup memory written in webhook() is never saved.
 */
const node: INode = { id: 'n1', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const workflowOver = (staticData: object) =>
	new Workflow({ id: 'wf1', nodes: [node], connections: {}, active: true, nodeTypes, staticData: staticData as never });

const message = {
	object: 'whatsapp_business_account',
	entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ id: 'wamid.1', from: '1', type: 'text', text: { body: 'hi' } }] } }] }],
};

describe('dedup memory across the webhook phase and the run', () => {
	it('is lost by the run unless the trigger marks it changed again, and kept when it does', () => {
		const stored = { 'node:Trigger': { secret: 's' } };
		const webhookPhase = workflowOver(stored);
		const staticData = webhookPhase.getStaticData('node', node);
		const seen = (staticData.seen ??= {}) as SeenState;
		expect(dropSeen(normalize(message), seen, 1000).fresh).toHaveLength(1);
		expect(webhookPhase.staticData.__dataChanged).toBe(true);

		// Starting the run wraps the same objects again and resets the flag n8n checks before saving.
		const run = workflowOver(stored);
		expect(webhookPhase.staticData.__dataChanged).toBe(false);
		expect(run.staticData.__dataChanged).toBe(false);

		const items = [{ json: { a: 1 } }];
		const context = {
			getWorkflowStaticData: (type: 'node' | 'global') => run.getStaticData(type, node),
			getInputData: () => items,
		} as unknown as IExecuteFunctions;
		expect(passThroughAndKeepMemory.call(context)).toEqual([items]);
		expect(run.staticData.__dataChanged).toBe(true);
		expect(JSON.parse(JSON.stringify(run.staticData))).toEqual({
			'node:Trigger': { secret: 's', seen: { [Object.keys(seen)[0]]: 1000 + 86400 } },
		});
	});

	it('leaves static data untouched when dedup is off', () => {
		const run = workflowOver({ 'node:Trigger': { secret: 's' } });
		const context = {
			getWorkflowStaticData: (type: 'node' | 'global') => run.getStaticData(type, node),
			getInputData: () => [],
		} as unknown as IExecuteFunctions;
		passThroughAndKeepMemory.call(context);
		expect(run.staticData.__dataChanged).toBe(false);
	});
});
