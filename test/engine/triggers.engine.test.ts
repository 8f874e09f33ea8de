/**
 * Both triggers inside n8n-core's real engine: the webhook setup methods through HookContext, a
 * delivery through WebhookContext, and the trigger's items through WorkflowExecute into
 * downstream nodes, with static data carried from one step to the next as n8n does.
 */
import nock from 'nock';
import { NodeConnectionTypes, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { GENERATED_HEADER_NAME, SIGNATURE_HEADER } from '../../nodes/shared/core/security';
import {
	CLOUD_BASE_URL,
	cloudCredentials,
	credentialTypes,
	messagingNode,
	nodeTypes as triggerNodeTypes,
	OUR_MESSAGING_URL,
	PARTNER_API_KEY,
	PARTNER_ID,
	PARTNER_TRIGGER_NAME,
	partnerNode,
	TRIGGER_NAME,
	TRIGGER_TYPE_VERSIONS,
	API_KEY,
} from '../support/trigger-fixtures';
import {
	change,
	cloudEnvelope,
	imageMessage,
	messagesValue,
	partnerEvent,
	sign,
	SIGNING_SECRET,
	status,
	textMessage,
} from '../support/payloads';
import { connect, makeNode, NO_OP_TYPE, processedData, runHookMethod, runWebhookTrigger } from './harness';

/** Like n8n's Set node: adds one field computed per item (expressions see the trigger's item as $json). */
class SetField implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set Field',
		name: 'setField',
		group: ['transform'],
		version: 1,
		description: 'Adds a field to each item',
		defaults: { name: 'Set Field' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{ displayName: 'Name', name: 'name', type: 'string', default: 'field' },
			{ displayName: 'Value', name: 'value', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => ({
				json: { ...item.json, [this.getNodeParameter('name', index) as string]: this.getNodeParameter('value', index) as string },
				pairedItem: { item: index },
			})),
		];
	}
}

const SET_TYPE = 'test.setField';
const nodeTypes = { ...triggerNodeTypes, [SET_TYPE]: new SetField() };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const SECRET = 'c'.repeat(64);

describe.each(TRIGGER_TYPE_VERSIONS)('360dialog Trigger version %i in a workflow', (typeVersion) => {
	const workflow = (triggerParameters = {}) => ({
		nodes: [
			messagingNode(triggerParameters, typeVersion),
			makeNode({ name: 'Describe', type: SET_TYPE, parameters: { name: 'summary', value: '={{ $json.event }}:{{ $json.messageId }}' } }),
			makeNode({ name: 'Collect', type: NO_OP_TYPE }),
		],
		connections: connect([TRIGGER_NAME, 'Describe', 'Collect']),
		nodeTypes,
		credentials: { dialog360Api: cloudCredentials },
		credentialTypes,
	});

	const body = cloudEnvelope([
		change(
			'messages',
			messagesValue({ messages: [textMessage('wamid.E1', 'Hallo'), imageMessage('wamid.E2')], statuses: [status('wamid.OUT', 'read')] }),
		),
	]);

	it('hands one item per event to the downstream nodes', async () => {
		const result = await runWebhookTrigger({
			...workflow(),
			staticData: { [`node:${TRIGGER_NAME}`]: { secret: SECRET } },
			triggerNodeName: TRIGGER_NAME,
			request: { headers: { 'content-type': 'application/json', [GENERATED_HEADER_NAME]: SECRET }, body },
		});

		expect(result.run?.status).toBe('success');
		expect(result.run?.error).toBeUndefined();
		const collected = result.run?.outputOf('Collect') ?? [];
		expect(collected.map((item) => item.json.summary)).toEqual(['message.text:wamid.E1', 'message.image:wamid.E2', 'status.read:wamid.OUT']);
		expect(collected.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(collected[0].json).toMatchObject({ kind: 'message', text: 'Hallo', from: '4915112345678', phoneNumberId: '106540352242922' });
		// The image's caption is its text.
		expect(collected[1].json).toMatchObject({ kind: 'message', type: 'image', text: 'look', media: { id: 'media-1', mimeType: 'image/jpeg' } });
		expect(collected[2].json).toMatchObject({ kind: 'status', status: 'read', recipientId: '4915112345678' });
	});

	it('applies the event filter before the workflow: only statuses reach downstream', async () => {
		const result = await runWebhookTrigger({
			...workflow({ events: ['group:statuses'] }),
			staticData: { [`node:${TRIGGER_NAME}`]: { secret: SECRET } },
			triggerNodeName: TRIGGER_NAME,
			request: { headers: { [GENERATED_HEADER_NAME]: SECRET }, body },
		});
		expect(result.run?.outputOf('Collect').map((item) => item.json.event)).toEqual(['status.read']);
	});

	it('Group Updates and Marketing Click Events pass group and click items, named, and nothing else', async () => {
		const mixed = cloudEnvelope([
			change('group_status_update', { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922' }, groups: [{ timestamp: '1771000700', type: 'group_suspend', group_id: 'G1' }] }),
			change('messages', {
				...messagesValue({ messages: [textMessage('wamid.E3', 'Hi')] }),
				user_actions: [{ action_type: 'marketing_messages_link_click', timestamp: '1771000900', marketing_messages_link_click_data: { click_id: 'C1', click_component: 'cta' } }],
			}),
		]);
		const result = await runWebhookTrigger({
			...workflow({ events: ['group:groups', 'group:clicks'] }),
			staticData: { [`node:${TRIGGER_NAME}`]: { secret: SECRET } },
			triggerNodeName: TRIGGER_NAME,
			request: { headers: { [GENERATED_HEADER_NAME]: SECRET }, body: mixed },
		});
		const collected = result.run?.outputOf('Collect') ?? [];
		expect(collected.map((item) => [item.json.event, item.json.severity])).toEqual([
			['group.status', 'critical'],
			['user_action.marketing_messages_link_click', 'info'],
		]);
		expect(collected[0].json).toMatchObject({ kind: 'group', groupId: 'G1', groupEvent: 'group_suspend' });
		expect(collected[1].json).toMatchObject({ kind: 'user_action', clickId: 'C1', clickComponent: 'cta' });
	});

	// What n8n hands the node: text/plain as a string, another type unread ({} or nothing).
	it.each([
		['application/octet-stream', {}],
		['text/plain', JSON.stringify(body)],
	])('reads a JSON body sent as %s from the raw bytes and hands on its events', async (contentType, parsed) => {
		const result = await runWebhookTrigger({
			...workflow(),
			staticData: { [`node:${TRIGGER_NAME}`]: { secret: SECRET } },
			triggerNodeName: TRIGGER_NAME,
			request: {
				headers: { 'content-type': contentType, [GENERATED_HEADER_NAME]: SECRET },
				body: parsed,
				rawBody: Buffer.from(JSON.stringify(body)),
			},
		});
		expect(result.run?.outputOf('Collect').map((item) => item.json.summary)).toEqual([
			'message.text:wamid.E1',
			'message.image:wamid.E2',
			'status.read:wamid.OUT',
		]);
	});

	it('runs nothing downstream for a rejected request', async () => {
		const result = await runWebhookTrigger({
			...workflow(),
			staticData: { [`node:${TRIGGER_NAME}`]: { secret: SECRET } },
			triggerNodeName: TRIGGER_NAME,
			request: { headers: { [GENERATED_HEADER_NAME]: 'wrong' }, body },
		});
		expect(result.response.statusCode).toBe(401);
		expect(result.run).toBeUndefined();
	});

	it('publish → delivery → duplicate delivery → unpublish, carrying static data like n8n', async () => {
		const oldRegistration = { url: 'https://old.example.com/hook', headers: { 'X-Old': '1' } };
		const registered: IDataObject[] = [];
		const api = nock(CLOUD_BASE_URL, { reqheaders: { 'D360-API-KEY': API_KEY } })
			.get('/v1/configs/webhook')
			.reply(200, oldRegistration)
			.post('/v1/configs/webhook', (posted: IDataObject) => registered.push(posted) > 0)
			.reply(200, {});

		const created = await runHookMethod({ ...workflow(), nodeName: TRIGGER_NAME, method: 'create' });
		expect(created.result).toBe(true);
		expect(api.isDone()).toBe(true);
		expect(registered[0].url).toBe(OUR_MESSAGING_URL);
		// 360dialog will send exactly the header that was registered.
		const deliveryHeaders = registered[0].headers as Record<string, string>;
		expect(Object.keys(deliveryHeaders)).toEqual([GENERATED_HEADER_NAME]);

		const first = await runWebhookTrigger({
			...workflow(),
			staticData: created.staticData,
			triggerNodeName: TRIGGER_NAME,
			request: { headers: deliveryHeaders, body },
		});
		expect(first.run?.outputOf('Collect')).toHaveLength(3);

		const retry = await runWebhookTrigger({
			...workflow(),
			staticData: first.staticData,
			triggerNodeName: TRIGGER_NAME,
			request: { headers: deliveryHeaders, body },
		});
		expect(retry.run).toBeUndefined();
		expect(retry.response).toMatchObject({ statusCode: 200, body: { received: 3, started: false } });

		const restore = nock(CLOUD_BASE_URL, { reqheaders: { 'D360-API-KEY': API_KEY } })
			.get('/v1/configs/webhook')
			.reply(200, { url: OUR_MESSAGING_URL, headers: deliveryHeaders })
			.post('/v1/configs/webhook', oldRegistration)
			.reply(200, {});
		const deleted = await runHookMethod({ ...workflow(), staticData: retry.staticData, nodeName: TRIGGER_NAME, method: 'delete' });
		expect(deleted.result).toBe(true);
		expect(restore.isDone()).toBe(true);
		// The secret is gone, so a late delivery with the old header is refused.
		const late = await runWebhookTrigger({
			...workflow(),
			staticData: deleted.staticData,
			triggerNodeName: TRIGGER_NAME,
			request: { headers: deliveryHeaders, body: cloudEnvelope([change('messages', messagesValue({ messages: [textMessage('wamid.NEW', 'late')] }))]) },
		});
		expect(late.response.statusCode).toBe(401);
	});
});

describe('Skip Duplicate Deliveries decided in the run (n8n processed-data table)', () => {
	const workflow = () => ({
		nodes: [
			messagingNode(),
			makeNode({ name: 'Describe', type: SET_TYPE, parameters: { name: 'summary', value: '={{ $json.messageId }}' } }),
		],
		connections: connect([TRIGGER_NAME, 'Describe']),
		nodeTypes,
		credentials: { dialog360Api: cloudCredentials },
		credentialTypes,
	});
	const staticData = { [`node:${TRIGGER_NAME}`]: { secret: SECRET } };
	const delivery = (ids: string[]) => ({
		headers: { [GENERATED_HEADER_NAME]: SECRET },
		body: cloudEnvelope([change('messages', messagesValue({ messages: ids.map((id) => textMessage(id, id)) }))]),
	});

	it('a redelivery that passed webhook() (another webhook process, same moment) ends its run with no items', async () => {
		// Both deliveries start from the same static data, as two webhook processes racing do.
		const first = await runWebhookTrigger({ ...workflow(), staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.R1', 'wamid.R2']) });
		const second = await runWebhookTrigger({ ...workflow(), staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.R2', 'wamid.R3']) });

		expect(first.response.body).toMatchObject({ started: true, events: 2 });
		expect(second.response.body).toMatchObject({ started: true, events: 2 });
		expect(first.run?.outputOf('Describe').map((item) => item.json.summary)).toEqual(['wamid.R1', 'wamid.R2']);
		// wamid.R2 was recorded by the first run: only wamid.R3 goes on.
		expect(second.run?.outputOf(TRIGGER_NAME).map((item) => item.json.messageId)).toEqual(['wamid.R3']);
		expect(second.run?.outputOf('Describe').map((item) => item.json.summary)).toEqual(['wamid.R3']);

		const third = await runWebhookTrigger({ ...workflow(), staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.R1']) });
		expect(third.run?.status).toBe('success');
		expect(third.run?.outputOf(TRIGGER_NAME)).toEqual([]);
		expect(third.run?.runData.Describe).toBeUndefined();
	});

	it('the record is per node: another workflow node with its own id starts from nothing', async () => {
		await runWebhookTrigger({ ...workflow(), staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.N1']) });
		const other = workflow();
		other.nodes[0] = { ...other.nodes[0], id: 'another-node-id' };
		const run = await runWebhookTrigger({ ...other, staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.N1']) });
		expect(run.run?.outputOf('Describe').map((item) => item.json.summary)).toEqual(['wamid.N1']);
	});

	it('with Skip Duplicate Deliveries off, the run keeps every item and records nothing', async () => {
		const off = workflow();
		off.nodes[0] = messagingNode({ dedupe: false });
		for (let i = 0; i < 2; i++) {
			const run = await runWebhookTrigger({ ...off, staticData, triggerNodeName: TRIGGER_NAME, request: delivery(['wamid.O1']) });
			expect(run.run?.outputOf('Describe')).toHaveLength(1);
		}
		expect(processedData.calls).toBe(0);
	});
});

describe.each(TRIGGER_TYPE_VERSIONS)('360dialog Partner Trigger version %i in a workflow', (typeVersion) => {
	const raw = `${JSON.stringify(
		[
			partnerEvent('channel_live', { id: 'ch1', phone_number: '15553785635' }, 'p1'),
			partnerEvent('account_violation', { id: 'ch1', violation_type: 'SCAM' }, 'p2'),
			partnerEvent('waba_template_status_changed', { id: '2044166682973889', template: { name: 'promo', new_status: 'DISABLED' } }, 'p3'),
		],
		null,
		2,
	)}\n`;

	const workflow = (parameters = {}) => ({
		nodes: [
			partnerNode(parameters, typeVersion),
			makeNode({ name: 'Alert', type: SET_TYPE, parameters: { name: 'alert', value: '={{ $json.severity.toUpperCase() }}: {{ $json.partnerEvent }}' } }),
		],
		connections: connect([PARTNER_TRIGGER_NAME, 'Alert']),
		nodeTypes,
		credentials: { dialog360PartnerApi: { partnerId: PARTNER_ID, apiKey: PARTNER_API_KEY, signingSecret: SIGNING_SECRET } },
		credentialTypes,
		triggerNodeName: PARTNER_TRIGGER_NAME,
	});

	it('passes a signed batch, filtered to critical events, to the downstream node', async () => {
		const result = await runWebhookTrigger({
			...workflow({ minSeverity: 'critical' }),
			request: { headers: { [SIGNATURE_HEADER]: sign(raw, SIGNING_SECRET, 'sha256=hex') }, body: JSON.parse(raw), rawBody: Buffer.from(raw) },
		});

		expect(result.run?.status).toBe('success');
		expect(result.run?.outputOf('Alert').map((item) => item.json.alert)).toEqual([
			'CRITICAL: account_violation',
			'CRITICAL: waba_template_status_changed',
		]);
	});

	it('starts no execution when the signature does not match the bytes', async () => {
		const result = await runWebhookTrigger({
			...workflow(),
			request: { headers: { [SIGNATURE_HEADER]: sign(JSON.stringify(JSON.parse(raw))) }, body: JSON.parse(raw), rawBody: Buffer.from(raw) },
		});
		expect(result.response.statusCode).toBe(401);
		expect(result.run).toBeUndefined();
	});
});
