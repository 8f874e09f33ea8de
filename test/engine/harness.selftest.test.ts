import nock from 'nock';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialType,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	MANUAL_TRIGGER_TYPE,
	NO_OP_TYPE,
	connect,
	makeNode,
	manualTriggerNode,
	noOpNode,
	runHookMethod,
	runWebhookTrigger,
	runWorkflow,
} from './harness';

// ---------------------------------------------------------------------------------------------
// Test nodes
// ---------------------------------------------------------------------------------------------

const base = {
	group: ['transform'],
	version: 1,
	description: 'harness self-test node',
	defaults: {},
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
} satisfies Partial<INodeTypeDescription>;

/** Emits `count` items, each paired with input item 0. */
class FanOut implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Fan Out',
		name: 'fanOut',
		properties: [{ displayName: 'Count', name: 'count', type: 'number', default: 3 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const count = this.getNodeParameter('count', 0) as number;
		return [Array.from({ length: count }, (_, n) => ({ json: { n }, pairedItem: { item: 0 } }))];
	}
}

/** Sets `json[field] = value`; returns items without pairedItem so the engine assigns it. */
class AddField implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Add Field',
		name: 'addField',
		properties: [
			{ displayName: 'Field', name: 'field', type: 'string', default: 'added' },
			{ displayName: 'Value', name: 'value', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, i) => ({
				json: {
					...item.json,
					[this.getNodeParameter('field', i) as string]: this.getNodeParameter('value', i) as string,
				},
			})),
		];
	}
}

class TestWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		...base,
		group: ['trigger'],
		displayName: 'Test Webhook Trigger',
		name: 'testWebhookTrigger',
		inputs: [],
		credentials: [{ name: 'someApi', required: false }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
		properties: [
			{ displayName: 'Prefix', name: 'prefix', type: 'string', default: '' },
			{ displayName: 'Reject', name: 'reject', type: 'boolean', default: false },
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').remoteId !== undefined;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'someApi', {
					method: 'POST',
					url: 'https://api.example.test/webhooks',
					body: { url: this.getNodeWebhookUrl('default') },
					json: true,
				})) as { id: string };
				this.getWorkflowStaticData('node').remoteId = response.id;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').remoteId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getNodeParameter('reject') as boolean) {
			this.getResponseObject().status(401).json({ error: 'nope' });
			return { noWebhookResponse: true };
		}
		const headers = this.getHeaderData();
		const body = this.getBodyData();
		const staticData = this.getWorkflowStaticData('node');
		staticData.seen = ((staticData.seen as number | undefined) ?? 0) + 1;
		return {
			workflowData: [
				this.helpers.returnJsonArray([
					{
						greeting: `${this.getNodeParameter('prefix') as string}${String(body.name)}`,
						signature: headers['x-signature'],
						rawLength: (this.getRequestObject() as { rawBody: Buffer }).rawBody.length,
					},
				]),
			],
		};
	}
}

class CallApi implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Call API',
		name: 'callApi',
		credentials: [{ name: 'someApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('someApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'someApi', {
			url: `${credentials.baseUrl as string}/status`,
			json: true,
		})) as { ok: boolean };
		return [[{ json: { ok: response.ok, region: credentials.region } }]];
	}
}

class MakeBinary implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Make Binary',
		name: 'makeBinary',
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const data = await this.helpers.prepareBinaryData(Buffer.from('hello media'), 'hello.txt', 'text/plain');
		return [[{ json: { made: true }, binary: { data } }]];
	}
}

class ReadBinary implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Read Binary',
		name: 'readBinary',
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const buffer = await this.helpers.getBinaryDataBuffer(0, 'data');
		return [[{ json: { text: buffer.toString('utf8') } }]];
	}
}

class Explode implements INodeType {
	description: INodeTypeDescription = {
		...base,
		usableAsTool: true,
		displayName: 'Explode',
		name: 'explode',
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Boom: the payload is not a WhatsApp event', {
			description: 'details for the user',
		});
	}
}

const someApi: ICredentialType = {
	name: 'someApi',
	displayName: 'Some API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'https://api.example.test' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { 'D360-API-KEY': '={{$credentials.apiKey}}' } },
	},
};

const nodeTypes = {
	[MANUAL_TRIGGER_TYPE]: manualTriggerNode,
	[NO_OP_TYPE]: noOpNode,
	'test.fanOut': new FanOut(),
	'test.addField': new AddField(),
	'test.webhookTrigger': new TestWebhookTrigger(),
	'test.callApi': new CallApi(),
	'test.makeBinary': new MakeBinary(),
	'test.readBinary': new ReadBinary(),
	'test.explode': new Explode(),
};

const trigger = makeNode({ name: 'Start', type: MANUAL_TRIGGER_TYPE });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('engine harness', () => {
	it('(a) runs manual trigger → nodes and keeps pairedItem lineage', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger,
				makeNode({ name: 'Fan Out', type: 'test.fanOut', parameters: { count: 2 } }),
				makeNode({ name: 'Add Field', type: 'test.addField', parameters: { value: '={{ $json.n * 10 }}' } }),
				makeNode({ name: 'Collect', type: NO_OP_TYPE }),
			],
			connections: connect(['Start', 'Fan Out', 'Add Field', 'Collect']),
			nodeTypes,
		});

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Start')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
		expect(result.outputOf('Add Field')).toEqual([
			// same item count in and out: the engine pairs item i with input item i
			{ json: { n: 0, added: 0 }, pairedItem: { item: 0 } },
			{ json: { n: 1, added: 10 }, pairedItem: { item: 1 } },
		]);
		expect(result.outputOf('Collect')).toEqual(result.outputOf('Add Field'));
		expect(Object.keys(result.runData)).toEqual(['Start', 'Fan Out', 'Add Field', 'Collect']);
	});

	it('(a) starts at a node with given items (startData)', async () => {
		const result = await runWorkflow({
			nodes: [
				makeNode({ name: 'Hook', type: 'test.webhookTrigger', webhookId: 'wh-1' }),
				makeNode({ name: 'Add Field', type: 'test.addField', parameters: { value: 'yes' } }),
			],
			connections: connect(['Hook', 'Add Field']),
			nodeTypes,
			startData: { nodeName: 'Hook', items: [{ json: { a: 1 } }, { json: { a: 2 } }] },
		});

		expect(result.status).toBe('success');
		expect(result.outputOf('Hook')).toEqual([
			{ json: { a: 1 }, pairedItem: { item: 0 } },
			{ json: { a: 2 }, pairedItem: { item: 1 } },
		]);
		expect(result.outputOf('Add Field').map((item) => item.json)).toEqual([
			{ a: 1, added: 'yes' },
			{ a: 2, added: 'yes' },
		]);
	});

	it('(b) calls webhook() through WebhookContext and runs the rest of the workflow', async () => {
		const body = { name: 'Ada' };
		const result = await runWebhookTrigger({
			nodes: [
				makeNode({ name: 'Hook', type: 'test.webhookTrigger', webhookId: 'wh-1', parameters: { prefix: 'Hi ' } }),
				makeNode({ name: 'Add Field', type: 'test.addField', parameters: { value: '={{ $json.greeting }}!' } }),
			],
			connections: connect(['Hook', 'Add Field']),
			nodeTypes,
			staticData: { 'node:Hook': { seen: 41 } },
			triggerNodeName: 'Hook',
			request: { headers: { 'Content-Type': 'application/json', 'X-Signature': 'sig' }, body },
		});

		expect(result.webhookResponse.workflowData).toHaveLength(1);
		expect(result.response).toEqual({
			statusCode: 200,
			body: { message: 'Workflow was started' },
			headers: { 'content-type': 'application/json' },
		});
		expect(result.run?.status).toBe('success');
		expect(result.run?.outputOf('Add Field')).toEqual([
			{
				json: {
					greeting: 'Hi Ada',
					signature: 'sig',
					rawLength: JSON.stringify(body).length,
					added: 'Hi Ada!',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(result.staticData).toEqual({ 'node:Hook': { seen: 42 } });
	});

	it('(b) records a response the node writes itself and runs nothing', async () => {
		const result = await runWebhookTrigger({
			nodes: [makeNode({ name: 'Hook', type: 'test.webhookTrigger', parameters: { reject: true } })],
			connections: {},
			nodeTypes,
			triggerNodeName: 'Hook',
			request: { headers: {}, body: {} },
		});

		expect(result.webhookResponse).toEqual({ noWebhookResponse: true });
		expect(result.response).toEqual({
			statusCode: 401,
			body: { error: 'nope' },
			headers: { 'content-type': 'application/json' },
		});
		expect(result.run).toBeUndefined();
	});

	it('(c) applies the credential type generic auth to httpRequestWithAuthentication', async () => {
		const scope = nock('https://api.example.test')
			.matchHeader('D360-API-KEY', 'secret-key')
			.get('/status')
			.reply(200, { ok: true });

		const result = await runWorkflow({
			nodes: [trigger, makeNode({ name: 'Call', type: 'test.callApi' })],
			connections: connect(['Start', 'Call']),
			nodeTypes,
			credentials: { someApi: { apiKey: 'secret-key' } },
			credentialTypes: { someApi },
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		// `region` and `baseUrl` come from the credential type's defaults, as in n8n.
		expect(result.outputOf('Call')).toEqual([{ json: { ok: true, region: 'eu' }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('(c) runs webhookMethods through HookContext with credentials and the webhook URL', async () => {
		const common = {
			nodes: [makeNode({ name: 'Hook', type: 'test.webhookTrigger', webhookId: 'wh-9' })],
			connections: {},
			nodeTypes,
			credentials: { someApi: { apiKey: 'secret-key' } },
			credentialTypes: { someApi },
			nodeName: 'Hook',
		};
		const scope = nock('https://api.example.test')
			.matchHeader('D360-API-KEY', 'secret-key')
			.post('/webhooks', { url: 'http://localhost:5678/webhook/wh-9/hook' })
			.reply(201, { id: 'remote-1' })
			.post('/webhooks', { url: 'https://n8n.example.com/webhook/pinned' })
			.reply(201, { id: 'remote-2' });

		const missing = await runHookMethod({ ...common, method: 'checkExists' });
		// reading node static data creates it, as in n8n
		expect(missing).toEqual({ result: false, staticData: { 'node:Hook': {} } });

		const created = await runHookMethod({ ...common, method: 'create' });
		expect(created).toEqual({ result: true, staticData: { 'node:Hook': { remoteId: 'remote-1' } } });

		const pinned = await runHookMethod({
			...common,
			method: 'create',
			webhookUrl: 'https://n8n.example.com/webhook/pinned',
		});
		expect(pinned.staticData).toEqual({ 'node:Hook': { remoteId: 'remote-2' } });

		const exists = await runHookMethod({ ...common, method: 'checkExists', staticData: created.staticData });
		expect(exists.result).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('(d) prepareBinaryData puts the binary in the output and it can be read back', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger,
				makeNode({ name: 'Make', type: 'test.makeBinary' }),
				makeNode({ name: 'Read', type: 'test.readBinary' }),
			],
			connections: connect(['Start', 'Make', 'Read']),
			nodeTypes,
		});

		expect(result.status).toBe('success');
		const [made] = result.outputOf('Make');
		expect(made.binary?.data).toMatchObject({
			fileName: 'hello.txt',
			mimeType: 'text/plain',
			fileExtension: 'txt',
			bytes: 11,
			// binary-data mode `default`: the bytes travel base64-encoded inside the item
			data: Buffer.from('hello media').toString('base64'),
		});
		expect(result.outputOf('Read')[0].json).toEqual({ text: 'hello media' });
	});

	it('(e) surfaces a NodeOperationError as an error run', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger,
				makeNode({ name: 'Explode', type: 'test.explode' }),
				makeNode({ name: 'Collect', type: NO_OP_TYPE }),
			],
			connections: connect(['Start', 'Explode', 'Collect']),
			nodeTypes,
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'Boom: the payload is not a WhatsApp event',
			description: 'details for the user',
			node: { name: 'Explode' },
		});
		expect(result.runData.Explode[0].error?.message).toBe('Boom: the payload is not a WhatsApp event');
		expect(result.runData.Collect).toBeUndefined();
		expect(() => result.outputOf('Collect')).toThrow('did not run');
	});
});
