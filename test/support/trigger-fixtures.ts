/**
 * Shared pieces for the trigger tests that run through the engine harness: the node and credential
 * classes as the harness wants them, and node builders. The payloads they post come from
 * payloads.ts.
 */
import type { ICredentialDataDecryptedObject, INode, INodeParameters } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360PartnerApi } from '../../credentials/Dialog360PartnerApi.credentials';
import { Dialog360PartnerTrigger } from '../../nodes/Dialog360PartnerTrigger/Dialog360PartnerTrigger.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { makeNode, NO_OP_TYPE, noOpNode, type HarnessNodeType } from '../engine/harness';
import { NODE_TYPES } from './node-types';

export const TRIGGER_TYPE = NODE_TYPES.trigger;
export const PARTNER_TRIGGER_TYPE = NODE_TYPES.partnerTrigger;

export const TRIGGER_NAME = '360dialog Trigger';
export const PARTNER_TRIGGER_NAME = '360dialog Partner Trigger';

export const nodeTypes: Record<string, HarnessNodeType> = {
	[TRIGGER_TYPE]: new Dialog360Trigger(),
	[PARTNER_TRIGGER_TYPE]: new Dialog360PartnerTrigger(),
	[NO_OP_TYPE]: noOpNode,
};

export const credentialTypes = {
	dialog360Api: new Dialog360Api(),
	dialog360PartnerApi: new Dialog360PartnerApi(),
};

/** The harness' workflow id; the extra-destination name is built from it and the node id. */
export const WORKFLOW_ID = 'harness-workflow';
export const TRIGGER_NODE_ID = 'a1b2c3d4-e5f6-4711-8000-000000000001';
/** `n8n-<workflow id>-<first 8 characters of the node id>`, as registration.ts documents it. */
export const OUR_DESTINATION_NAME = `n8n-${WORKFLOW_ID}-a1b2c3d4`;

export const MESSAGING_WEBHOOK_ID = 'wh-messaging';
export const PARTNER_WEBHOOK_ID = 'wh-partner';
/** What n8n's `getNodeWebhookUrl('default')` gives for the nodes below (harness base URL + webhookId + path). */
export const OUR_MESSAGING_URL = `http://localhost:5678/webhook/${MESSAGING_WEBHOOK_ID}/webhook`;
export const OUR_PARTNER_URL = `http://localhost:5678/webhook/${PARTNER_WEBHOOK_ID}/webhook`;

export const CLOUD_BASE_URL = 'https://waba-v2.360dialog.io';
export const PARTNER_BASE_URL = 'https://hub.360dialog.io';
export const PARTNER_BASE_PATH = '/api/v2';

export const API_KEY = 'd360-test-key';
export const PARTNER_API_KEY = 'partner-test-key';
export const PARTNER_ID = 'abcdEFPA';

export const cloudCredentials: ICredentialDataDecryptedObject = { apiKey: API_KEY, environment: 'cloud' };
/** A custom base URL with a trailing slash, which the transport must trim. */
export const customCredentials: ICredentialDataDecryptedObject = {
	apiKey: API_KEY,
	environment: 'custom',
	baseUrl: 'http://simulator.local:5800/',
};
export const CUSTOM_BASE_URL = 'http://simulator.local:5800';

/** Both triggers' versions: version 1 for workflows saved before version 2 existed. */
export const TRIGGER_TYPE_VERSIONS = [1, 2] as const;

export function messagingNode(parameters: INodeParameters = {}, typeVersion = 1): INode {
	return makeNode({
		name: TRIGGER_NAME,
		typeVersion,
		id: TRIGGER_NODE_ID,
		type: TRIGGER_TYPE,
		webhookId: MESSAGING_WEBHOOK_ID,
		parameters,
	});
}

export function partnerNode(parameters: INodeParameters = {}, typeVersion = 1): INode {
	return makeNode({
		name: PARTNER_TRIGGER_NAME,
		typeVersion,
		id: 'b1b2c3d4-e5f6-4711-8000-000000000002',
		type: PARTNER_TRIGGER_TYPE,
		webhookId: PARTNER_WEBHOOK_ID,
		parameters,
	});
}

export const nodeStatic = (name: string, data: Record<string, unknown>) => ({ [`node:${name}`]: data });
