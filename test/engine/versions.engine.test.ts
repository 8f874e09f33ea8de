/**
 * Both triggers exist in several versions (see TRIGGER_VERSIONS and MESSAGING_TRIGGER_VERSIONS): new
 * nodes get the newest, and a workflow saved with an older version resolves to the same parameters,
 * so it keeps working unchanged.
 */
import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';

import { Dialog360PartnerTrigger } from '../../nodes/Dialog360PartnerTrigger/Dialog360PartnerTrigger.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { messagingNode, partnerNode } from '../support/trigger-fixtures';

describe.each([
	['360dialog Trigger', new Dialog360Trigger() as INodeType, messagingNode, [1, 2, 3]],
	['360dialog Partner Trigger', new Dialog360PartnerTrigger() as INodeType, partnerNode, [1, 2]],
])('%s versions', (_name, nodeType, makeTriggerNode, versions) => {
	it(`declares versions ${versions.join(', ')}, and new nodes get the last`, () => {
		expect(nodeType.description.version).toEqual(versions);
		expect(nodeType.description.defaultVersion).toBe(versions[versions.length - 1]);
	});

	it('resolves a version 1 node and a version 2 node to the same parameters', () => {
		const resolve = (node: INode) =>
			NodeHelpers.getNodeParameters(nodeType.description.properties, node.parameters, true, false, node, nodeType.description);
		const saved = { events: ['group:statuses'], dedupe: false, options: { includeRaw: true } };
		const v1 = resolve(makeTriggerNode(saved, 1));
		expect(v1).toEqual(resolve(makeTriggerNode(saved, 2)));
		expect(v1).toMatchObject({ dedupe: false, options: { includeRaw: true } });
	});
});

describe('360dialog Trigger version 3', () => {
	const nodeType = new Dialog360Trigger() as INodeType;
	const resolve = (node: INode) =>
		NodeHelpers.getNodeParameters(nodeType.description.properties, node.parameters, true, false, node, nodeType.description);

	it('keeps a version 2 workflow\'s single events in Events, and adds no Specific Events to it', () => {
		const v2 = resolve(messagingNode({ events: ['message.text', 'status.failed'] }, 2));
		expect(v2).toMatchObject({ events: ['message.text', 'status.failed'] });
		expect(v2).not.toHaveProperty('specificEvents');
	});

	it('a new node starts with All Events and no specific events', () => {
		expect(resolve(messagingNode({}, 3))).toMatchObject({ events: ['*'], specificEvents: [] });
	});
});
