/**
 * Both triggers exist in versions 1 and 2 (see TRIGGER_VERSIONS): new nodes get version 2, and a
 * workflow saved with version 1 resolves to the same parameters, so it keeps working unchanged.
 */
import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';

import { Dialog360PartnerTrigger } from '../../nodes/Dialog360PartnerTrigger/Dialog360PartnerTrigger.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { messagingNode, partnerNode } from '../support/trigger-fixtures';

describe.each([
	['360dialog Trigger', new Dialog360Trigger() as INodeType, messagingNode],
	['360dialog Partner Trigger', new Dialog360PartnerTrigger() as INodeType, partnerNode],
])('%s versions', (_name, nodeType, makeTriggerNode) => {
	it('declares versions 1 and 2, and new nodes get version 2', () => {
		expect(nodeType.description.version).toEqual([1, 2]);
		expect(nodeType.description.defaultVersion).toBe(2);
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
