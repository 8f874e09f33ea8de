/**
 * The 360dialog node through n8n-core's WorkflowExecute, with 360dialog mocked by nock: the exact
 * request body of every operation on the Cloud and the On-Premise API, the API key header, the
 * output items, errors (NodeApiError, Continue On Fail) and the send order.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { mediaUpload } from '../../nodes/shared/core/actions/bodies';
import { explainErrorCode } from '../../nodes/shared/core/errorCatalog';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { cloudMessages, DOCS_CUSTOMER, DOCS_NUMBER } from '../support/payloads';
import { connect, makeNode, NO_OP_TYPE, noOpNode, runWebhookTrigger, runWorkflow } from './harness';
import { NODE_TYPES } from '../support/node-types';

const CLOUD = 'https://waba-v2.360dialog.io';
const ONPREM = 'https://waba.360dialog.io';
const KEY = 'test-d360-key';
const TYPE = NODE_TYPES.action;
const cloudCredentials = { apiKey: KEY, environment: 'cloud' };
const onPremCredentials = { apiKey: KEY, environment: 'onPremise' };

/** What a 360dialog Trigger item carries that the node's defaults read. */
const triggerItem = (extra: IDataObject = {}): INodeExecutionData => ({
	json: {
		event: 'message.text',
		from: '16505551234',
		fromUserId: null,
		messageId: 'wamid.IN1',
		text: 'Hi',
		...extra,
	},
});

async function run(
	parameters: IDataObject,
	{
		credentials = cloudCredentials,
		items = [triggerItem()],
		continueOnFail = false,
	}: { credentials?: IDataObject; items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	return await runWorkflow({
		nodes: [
			makeNode({ name: 'Trigger', type: NO_OP_TYPE }),
			makeNode({
				name: '360dialog',
				type: TYPE,
				parameters: parameters as never,
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			}),
		],
		connections: connect(['Trigger', '360dialog']),
		nodeTypes: { [NO_OP_TYPE]: noOpNode, [TYPE]: new Dialog360() },
		credentials: { dialog360Api: credentials as never },
		credentialTypes: { dialog360Api: new Dialog360Api() },
		startData: { nodeName: 'Trigger', items },
	});
}

async function output(parameters: IDataObject, options: Parameters<typeof run>[1] = {}) {
	const result = await run(parameters, options);
	if (result.status !== 'success')
		throw new Error(`run failed: ${result.error?.message} ${result.error?.description ?? ''}`);
	return result.outputOf('360dialog');
}

/** A nock scope on `host` that records each request body sent to `method path`. */
function record(
	host: string,
	method: 'post' | 'put' | 'get' | 'delete',
	path: string | RegExp,
	reply: unknown = { messages: [{ id: 'wamid.OUT1' }] },
	status = 200,
) {
	const bodies: unknown[] = [];
	const headers: Array<Record<string, string | string[]>> = [];
	const host360 = nock(host);
	const scope = host360[method](path, (body: unknown) => {
		bodies.push(body);
		return true;
	}).reply(function () {
		headers.push(this.req.headers as Record<string, string | string[]>);
		return [status, reply as nock.Body];
	});
	return { scope, bodies, headers };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const message = (operation: string, extra: IDataObject = {}) => ({
	resource: 'message',
	operation,
	...extra,
});

describe('Message → Send Text', () => {
	it('Cloud: replies to the trigger item by default, with the API key, and outputs the message id', async () => {
		const api = record(CLOUD, 'post', '/messages', {
			messaging_product: 'whatsapp',
			contacts: [{ input: '16505551234', wa_id: '16505551234' }],
			messages: [{ id: 'wamid.OUT1', message_status: 'accepted' }],
		});
		const [item] = await output(
			message('sendText', { text: 'Thanks, {{ $json.text }}!', previewUrl: true }),
		);
		expect(api.scope.isDone()).toBe(true);
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'text',
				text: { body: 'Thanks, {{ $json.text }}!', preview_url: true },
				context: { message_id: 'wamid.IN1' },
			},
		]);
		expect(api.headers[0]['d360-api-key']).toBe(KEY);
		expect(item.json).toEqual({
			messageId: 'wamid.OUT1',
			messageStatus: 'accepted',
			type: 'text',
			to: '16505551234',
			recipient: null,
			replyTo: 'wamid.IN1',
			bizOpaqueCallbackData: null,
			response: {
				messaging_product: 'whatsapp',
				contacts: [{ input: '16505551234', wa_id: '16505551234' }],
				messages: [{ id: 'wamid.OUT1', message_status: 'accepted' }],
			},
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('Cloud: a user known only by business-scoped id is written to as `recipient`, with callback data', async () => {
		const api = record(CLOUD, 'post', '/messages');
		await output(
			message('sendText', { text: 'Hi', options: { bizOpaqueCallbackData: 'ticket-9' } }),
			{
				items: [triggerItem({ from: null, fromUserId: 'US.13491208655302741918' })],
			},
		);
		expect(api.bodies[0]).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			recipient: 'US.13491208655302741918',
			type: 'text',
			text: { body: 'Hi' },
			context: { message_id: 'wamid.IN1' },
			biz_opaque_callback_data: 'ticket-9',
		});
	});

	it('On-Premise: POST /v1/messages in the legacy shape', async () => {
		const api = record(ONPREM, 'post', '/v1/messages', {
			messages: [{ id: 'gBGG1' }],
			meta: { api_status: 'stable' },
		});
		const [item] = await output(message('sendText', { text: 'Hi', previewUrl: true }), {
			credentials: onPremCredentials,
		});
		expect(api.bodies).toEqual([
			{
				recipient_type: 'individual',
				to: '16505551234',
				type: 'text',
				text: { body: 'Hi' },
				preview_url: true,
				context: { message_id: 'wamid.IN1' },
			},
		]);
		expect(item.json.messageId).toBe('gBGG1');
	});

	it('the API option overrides the credential: a Custom Base URL can be On-Premise', async () => {
		const api = record('http://127.0.0.1:5999', 'post', '/v1/messages', {
			messages: [{ id: 'gBGG2' }],
		});
		await output(message('sendText', { text: 'Hi', replyTo: '', api: 'onPremise' }), {
			credentials: { apiKey: KEY, environment: 'custom', baseUrl: 'http://127.0.0.1:5999/' },
		});
		expect(api.bodies).toEqual([
			{ recipient_type: 'individual', to: '16505551234', type: 'text', text: { body: 'Hi' } },
		]);
	});
});

describe('Message → Send Media', () => {
	const jpeg = Buffer.from('fake-jpeg-bytes\u0000\u00ff', 'latin1');
	const withFile: INodeExecutionData = {
		...triggerItem(),
		binary: {
			photo: { data: jpeg.toString('base64'), mimeType: 'image/jpeg', fileName: 'photo.jpg' },
		},
	};

	it('Cloud, from a link with a caption', async () => {
		const api = record(CLOUD, 'post', '/messages');
		await output(
			message('sendMedia', {
				mediaType: 'image',
				mediaSource: 'link',
				mediaLink: 'https://x.io/a.jpg',
				caption: 'Look',
				replyTo: '',
			}),
		);
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'image',
				image: { link: 'https://x.io/a.jpg', caption: 'Look' },
			},
		]);
	});

	it('On-Premise, a document by media id with its file name', async () => {
		const api = record(ONPREM, 'post', '/v1/messages');
		await output(
			message('sendMedia', {
				mediaType: 'document',
				mediaSource: 'id',
				mediaId: 'f3a1-uuid',
				fileName: 'r.pdf',
				replyTo: '',
			}),
			{ credentials: onPremCredentials },
		);
		expect(api.bodies).toEqual([
			{
				recipient_type: 'individual',
				to: '16505551234',
				type: 'document',
				document: { id: 'f3a1-uuid', filename: 'r.pdf' },
			},
		]);
	});

	it('Cloud, from a binary property: uploads it (multipart) first, then sends the new id', async () => {
		let upload = '';
		let contentType = '';
		const uploads = nock(CLOUD, { reqheaders: { 'D360-API-KEY': KEY } })
			.post('/media', (body: string) => {
				upload = body;
				return true;
			})
			.reply(function () {
				contentType = String(this.req.headers['content-type']);
				return [200, { id: '4490709327384033' }];
			});
		const api = record(CLOUD, 'post', '/messages');
		await output(
			message('sendMedia', {
				mediaType: 'image',
				mediaSource: 'binary',
				binaryProperty: 'photo',
				replyTo: '',
			}),
			{ items: [withFile] },
		);
		expect(uploads.isDone()).toBe(true);
		const boundary = /boundary=(\S+)/.exec(contentType)?.[1] ?? '';
		expect(boundary).toMatch(/^----n8n360dialog[0-9a-f]{24}$/);
		// nock hands over a body that is not UTF-8 as hex.
		const expected = mediaUpload('cloud', boundary, {
			fileName: 'photo.jpg',
			mimeType: 'image/jpeg',
			data: jpeg,
		});
		expect(contentType).toBe(expected.contentType);
		expect(Buffer.from(upload, 'hex').equals(expected.body)).toBe(true);
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'image',
				image: { id: '4490709327384033' },
			},
		]);
	});

	it('On-Premise, from a binary property: POST /v1/media with the raw bytes and their type', async () => {
		let received: Buffer = Buffer.alloc(0);
		const uploads = nock(ONPREM, { reqheaders: { 'content-type': 'image/jpeg' } })
			.post('/v1/media', (body: string) => {
				received = Buffer.from(body, 'hex');
				return true;
			})
			.reply(201, { media: [{ id: 'f3a1-uuid' }] });
		const api = record(ONPREM, 'post', '/v1/messages');
		await output(
			message('sendMedia', {
				mediaType: 'image',
				mediaSource: 'binary',
				binaryProperty: 'photo',
				replyTo: '',
			}),
			{ items: [withFile], credentials: onPremCredentials },
		);
		expect(uploads.isDone()).toBe(true);
		expect(received.equals(jpeg)).toBe(true);
		expect(api.bodies).toEqual([
			{
				recipient_type: 'individual',
				to: '16505551234',
				type: 'image',
				image: { id: 'f3a1-uuid' },
			},
		]);
	});
});

describe('Message → Send Template', () => {
	const TEMPLATES = {
		count: 2,
		waba_templates: [
			{
				name: 'order_update',
				language: 'en_US',
				status: 'approved',
				category: 'UTILITY',
				namespace: 'ns_abc',
				components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}}' }],
			},
			{
				name: 'order_update',
				language: 'de',
				status: 'approved',
				category: 'UTILITY',
				namespace: 'ns_abc',
				components: [{ type: 'BODY', text: 'Hallo {{1}}' }],
			},
		],
	};
	const params = {
		template: { __rl: true, mode: 'list', value: 'order_update' },
		language: 'en_US',
		templateParameters: {
			mappingMode: 'defineBelow',
			value: { 'body.2': 'A-7', 'body.1': '={{ $json.text }}' },
		},
		replyTo: '',
	};

	it('Cloud: name, language and body parameters from the mapped values (expressions evaluated)', async () => {
		const api = record(CLOUD, 'post', '/messages');
		await output(message('sendTemplate', params));
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'template',
				template: {
					name: 'order_update',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'Hi' },
								{ type: 'text', text: 'A-7' },
							],
						},
					],
				},
			},
		]);
	});

	it('On-Premise: reads the namespace from the template list once for the whole batch', async () => {
		const list = nock(ONPREM)
			.get('/v1/configs/templates')
			.query({ limit: 1000 })
			.once()
			.reply(200, TEMPLATES);
		const api = nock(ONPREM);
		const bodies: unknown[] = [];
		api
			.post('/v1/messages', (body: unknown) => bodies.push(body) > 0)
			.twice()
			.reply(200, { messages: [{ id: 'gBGG' }] });
		await output(message('sendTemplate', params), {
			credentials: onPremCredentials,
			items: [triggerItem(), triggerItem({ from: '4915112345678' })],
		});
		expect(list.isDone()).toBe(true);
		expect(bodies).toHaveLength(2);
		expect(bodies[1]).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'template',
			template: {
				namespace: 'ns_abc',
				name: 'order_update',
				language: { policy: 'deterministic', code: 'en_US' },
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Hi' },
							{ type: 'text', text: 'A-7' },
						],
					},
				],
			},
		});
	});

	it('a template without parameters needs no mapping and sends no components', async () => {
		const api = record(CLOUD, 'post', '/messages');
		await output(
			message('sendTemplate', {
				template: { __rl: true, mode: 'name', value: 'hello_world' },
				language: 'en_US',
				replyTo: '',
			}),
		);
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'template',
				template: { name: 'hello_world', language: { code: 'en_US' } },
			},
		]);
	});

	it('Components (JSON) replaces the mapped parameters', async () => {
		const api = record(CLOUD, 'post', '/messages');
		const carousel = [{ type: 'carousel', cards: [] }];
		await output(
			message('sendTemplate', { ...params, options: { componentsJson: JSON.stringify(carousel) } }),
		);
		expect((api.bodies[0] as { template: IDataObject }).template.components).toEqual(carousel);
	});

	it('a template error names the template and says what to do', async () => {
		record(
			CLOUD,
			'post',
			'/messages',
			{
				error: {
					message: '(#132000) Number of parameters does not match',
					code: 132000,
					error_data: { details: 'body: expected 2' },
				},
			},
			400,
		);
		const result = await run(message('sendTemplate', params));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`${explainErrorCode(132000)?.meaning} (template "order_update" (en_US))`,
		);
		expect(result.error?.description).toBe(
			'POST /messages answered 400, WhatsApp error 132000. 360dialog said: (#132000) Number of parameters does not match: body: expected 2',
		);
	});

	it('loads the template picker, languages and parameter fields live from 360dialog', async () => {
		nock(CLOUD).get('/v1/configs/templates').query(true).times(3).reply(200, TEMPLATES);
		const node = new Dialog360();
		const context = {
			getCredentials: async () => cloudCredentials,
			getNode: () => ({ name: '360dialog' }),
			getCurrentNodeParameter: (name: string) =>
				({ api: 'fromCredential', template: 'order_update', language: 'en_US' })[name],
			helpers: {
				httpRequestWithAuthentication: async (
					_type: string,
					options: { url: string; qs: IDataObject },
				) => {
					const url = new URL(options.url);
					for (const [key, value] of Object.entries(options.qs ?? {}))
						url.searchParams.set(key, String(value));
					const response = await fetch(url, { headers: { 'D360-API-KEY': KEY } });
					return { statusCode: response.status, body: await response.json(), headers: {} };
				},
			},
		};
		const search = await node.methods.listSearch.searchTemplates.call(context as never, 'order');
		expect(search.results).toEqual([{ name: 'order_update (en_US, de)', value: 'order_update' }]);
		const languages = await node.methods.loadOptions.getTemplateLanguages.call(context as never);
		expect(languages.map((option) => option.value)).toEqual(['en_US', 'de']);
		const fields = await node.methods.resourceMapping.getTemplateParameters.call(context as never);
		expect(fields.fields.map((field) => [field.id, field.required])).toEqual([
			['body.1', true],
			['body.2', true],
		]);
	});
});

describe('Message → Send Interactive, Reaction, Location, Contacts', () => {
	it.each([
		['cloud', CLOUD, '/messages', { messaging_product: 'whatsapp', recipient_type: 'individual' }],
		['onPremise', ONPREM, '/v1/messages', { recipient_type: 'individual' }],
	] as const)('%s: reply buttons', async (flavour, host, path, prefix) => {
		const api = record(host, 'post', path);
		await output(
			message('sendInteractive', {
				interactiveType: 'buttons',
				body: 'Pick',
				footer: 'f',
				buttons: {
					button: [
						{ id: 'y', title: 'Yes' },
						{ id: 'n', title: 'No' },
					],
				},
			}),
			{ credentials: flavour === 'cloud' ? cloudCredentials : onPremCredentials },
		);
		expect(api.bodies).toEqual([
			{
				...prefix,
				to: '16505551234',
				type: 'interactive',
				interactive: {
					type: 'button',
					body: { text: 'Pick' },
					footer: { text: 'f' },
					action: {
						buttons: [
							{ type: 'reply', reply: { id: 'y', title: 'Yes' } },
							{ type: 'reply', reply: { id: 'n', title: 'No' } },
						],
					},
				},
				context: { message_id: 'wamid.IN1' },
			},
		]);
	});

	it("Cloud: a list grouped into sections by the rows' Section", async () => {
		const api = record(CLOUD, 'post', '/messages');
		const rows = [
			{ section: 'Food', id: 'p', title: 'Pizza', description: 'Hot' },
			{ section: 'Drinks', id: 'w', title: 'Water', description: '' },
			{ section: 'Food', id: 's', title: 'Salad', description: '' },
		];
		await output(
			message('sendInteractive', {
				interactiveType: 'list',
				body: 'Menu',
				header: 'Today',
				buttonText: 'Open',
				rows: { row: rows },
				replyTo: '',
			}),
		);
		expect((api.bodies[0] as IDataObject).interactive).toEqual({
			type: 'list',
			header: { type: 'text', text: 'Today' },
			body: { text: 'Menu' },
			action: {
				button: 'Open',
				sections: [
					{
						title: 'Food',
						rows: [
							{ id: 'p', title: 'Pizza', description: 'Hot' },
							{ id: 's', title: 'Salad' },
						],
					},
					{ title: 'Drinks', rows: [{ id: 'w', title: 'Water' }] },
				],
			},
		});
	});

	it('Cloud: call-to-action URL; On-Premise refuses it before sending anything', async () => {
		const api = record(CLOUD, 'post', '/messages');
		const parameters = message('sendInteractive', {
			interactiveType: 'ctaUrl',
			body: 'Track',
			displayText: 'Open',
			url: 'https://x.io/t',
			replyTo: '',
		});
		await output(parameters);
		expect((api.bodies[0] as IDataObject).interactive).toEqual({
			type: 'cta_url',
			body: { text: 'Track' },
			action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://x.io/t' } },
		});
		const refused = await run(parameters, { credentials: onPremCredentials });
		expect(refused.status).toBe('error');
		expect(refused.error?.message).toMatch(/On-Premise API cannot send call-to-action URL buttons/);
	});

	it('Cloud: a flow', async () => {
		const api = record(CLOUD, 'post', '/messages');
		await output(
			message('sendInteractive', {
				interactiveType: 'flow',
				body: 'Book',
				flowId: '998',
				flowCta: 'Book now',
				flowToken: 't-1',
				replyTo: '',
			}),
		);
		expect((api.bodies[0] as IDataObject).interactive).toEqual({
			type: 'flow',
			body: { text: 'Book' },
			action: {
				name: 'flow',
				parameters: {
					flow_message_version: '3',
					flow_id: '998',
					flow_cta: 'Book now',
					flow_token: 't-1',
					flow_action: 'navigate',
				},
			},
		});
	});

	it.each([
		['cloud', CLOUD, '/messages', { messaging_product: 'whatsapp', recipient_type: 'individual' }],
		['onPremise', ONPREM, '/v1/messages', { recipient_type: 'individual' }],
	] as const)('%s: reaction, location and contacts', async (flavour, host, path, prefix) => {
		const credentials = flavour === 'cloud' ? cloudCredentials : onPremCredentials;
		const api = record(host, 'post', path);
		api.scope
			.post(path, (body: unknown) => api.bodies.push(body) > 0)
			.twice()
			.reply(200, { messages: [{ id: 'x' }] });
		await output(message('sendReaction', { emoji: '🎉' }), { credentials });
		await output(
			message('sendLocation', {
				latitude: 52.52,
				longitude: 13.405,
				locationName: 'Office',
				address: 'Berlin',
				replyTo: '',
			}),
			{ credentials },
		);
		await output(
			message('sendContacts', {
				contacts: { contact: [{ name: 'Ada Lovelace', phone: '+441234', email: '', company: '' }] },
				replyTo: '',
			}),
			{ credentials },
		);
		expect(api.bodies).toEqual([
			{
				...prefix,
				to: '16505551234',
				type: 'reaction',
				reaction: { message_id: 'wamid.IN1', emoji: '🎉' },
			},
			{
				...prefix,
				to: '16505551234',
				type: 'location',
				location: { latitude: 52.52, longitude: 13.405, name: 'Office', address: 'Berlin' },
			},
			{
				...prefix,
				to: '16505551234',
				type: 'contacts',
				contacts: [
					{
						name: { formatted_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' },
						phones: [{ phone: '+441234', type: 'CELL' }],
					},
				],
			},
		]);
	});
});

describe('Message → Mark as Read', () => {
	it('Cloud: POST /messages with status read and the typing indicator', async () => {
		const api = record(CLOUD, 'post', '/messages', { success: true });
		const [item] = await output(message('markAsRead', { typingIndicator: true }));
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.IN1',
				typing_indicator: { type: 'text' },
			},
		]);
		// The trigger item goes on, so the next node still reads the message.
		expect(item.json).toEqual({ ...triggerItem().json, read: true, typingIndicator: true });
	});

	it('On-Premise: PUT /v1/messages/{id}; asking for typing is refused', async () => {
		const api = record(ONPREM, 'put', '/v1/messages/ABGG1', {});
		await output(message('markAsRead', { messageId: 'ABGG1' }), { credentials: onPremCredentials });
		expect(api.bodies).toEqual([{ status: 'read' }]);
		const refused = await run(
			message('markAsRead', { messageId: 'ABGG1', typingIndicator: true }),
			{ credentials: onPremCredentials },
		);
		expect(refused.error?.message).toBe('The On-Premise API has no typing indicator');
	});
});

describe('Media', () => {
	const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

	it('Download, Cloud: the media object, then the lookaside path on the 360dialog host', async () => {
		const api = nock(CLOUD, { reqheaders: { 'D360-API-KEY': KEY } })
			.get('/1003383421387256')
			.reply(200, {
				url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003&ext=17&hash=AT',
				mime_type: 'image/jpeg',
				file_size: bytes.length,
				id: '1003383421387256',
			})
			.get('/whatsapp_business/attachments/')
			.query({ mid: '1003', ext: '17', hash: 'AT' })
			.reply(200, bytes, { 'Content-Type': 'image/jpeg' });
		const [item] = await output(
			{ resource: 'media', operation: 'download' },
			{ items: [triggerItem({ media: { id: '1003383421387256' } })] },
		);
		expect(api.isDone()).toBe(true);
		expect(Buffer.from(item.binary?.data.data ?? '', 'base64').equals(bytes)).toBe(true);
		expect(item.binary?.data).toMatchObject({
			mimeType: 'image/jpeg',
			fileName: '1003383421387256.jpg',
		});
		expect(item.json).toMatchObject({
			messageId: 'wamid.IN1',
			mediaId: '1003383421387256',
			mimeType: 'image/jpeg',
		});
	});

	it('Download, On-Premise: /v1/media/{id}; a missing file is an error that says so', async () => {
		nock(ONPREM).get('/v1/media/u-1').reply(200, bytes, { 'Content-Type': 'audio/ogg' });
		const [item] = await output(
			{ resource: 'media', operation: 'download', mediaId: 'u-1', outputBinaryProperty: 'voice' },
			{ credentials: onPremCredentials },
		);
		expect(item.binary?.voice).toMatchObject({ mimeType: 'audio/ogg', fileName: 'u-1.ogg' });
		nock(ONPREM)
			.get('/v1/media/gone')
			.reply(404, { errors: [{ code: 1006 }] });
		const missing = await run(
			{ resource: 'media', operation: 'download', mediaId: 'gone' },
			{ credentials: onPremCredentials },
		);
		expect(missing.error?.message).toMatch(/no media at .*\/v1\/media\/gone \(404\)/);
	});

	it('Upload and Delete on both APIs', async () => {
		nock(CLOUD).post('/media').reply(200, { id: '777' });
		const [uploaded] = await output(
			{ resource: 'media', operation: 'upload', binaryProperty: 'data' },
			{
				items: [
					{
						json: {},
						binary: {
							data: { data: bytes.toString('base64'), mimeType: 'image/jpeg', fileName: 'a.jpg' },
						},
					},
				],
			},
		);
		expect(uploaded.json).toEqual({
			mediaId: '777',
			fileName: 'a.jpg',
			mimeType: 'image/jpeg',
			fileSize: bytes.length,
		});
		const cloudDelete = nock(CLOUD).delete('/777').reply(200, { success: true });
		const [deleted] = await output({ resource: 'media', operation: 'delete', mediaId: '777' });
		expect(cloudDelete.isDone()).toBe(true);
		expect(deleted.json).toEqual({ mediaId: '777', deleted: true, response: { success: true } });
		const onPremDelete = nock(ONPREM).delete('/v1/media/u-2').reply(200, {});
		await output(
			{ resource: 'media', operation: 'delete', mediaId: 'u-2' },
			{ credentials: onPremCredentials },
		);
		expect(onPremDelete.isDone()).toBe(true);
	});
});

describe('Template → List, Get', () => {
	const TEMPLATES = {
		waba_templates: [
			{
				name: 'a_marketing',
				language: 'en',
				status: 'approved',
				category: 'MARKETING',
				components: [],
			},
			{
				name: 'b_utility',
				language: 'en',
				status: 'approved',
				category: 'UTILITY',
				components: [{ type: 'BODY', text: '{{1}}' }],
			},
			{ name: 'c_paused', language: 'en', status: 'paused', category: 'UTILITY', components: [] },
		],
	};

	it('List filters by status and category; Get finds one template with its parameters', async () => {
		nock(CLOUD).get('/v1/configs/templates').query(true).twice().reply(200, TEMPLATES);
		const listed = await output({
			resource: 'template',
			operation: 'list',
			statuses: ['approved'],
			categories: ['utility'],
		});
		expect(listed.map((item) => item.json.name)).toEqual(['b_utility']);
		const [got] = await output({
			resource: 'template',
			operation: 'get',
			templateName: 'b_utility',
		});
		expect(got.json).toMatchObject({
			name: 'b_utility',
			language: 'en',
			status: 'approved',
			parameters: ['body.1'],
		});
	});

	it('Get of a missing template is an error that names it', async () => {
		nock(CLOUD).get('/v1/configs/templates').query(true).reply(200, TEMPLATES);
		const result = await run({
			resource: 'template',
			operation: 'get',
			templateName: 'nope',
			templateLanguage: 'de',
		});
		expect(result.error?.message).toBe('The number has no template "nope" in de');
	});
});

describe('errors and batches', () => {
	const window = {
		error: {
			message: '(#131047) Re-engagement message',
			type: 'OAuthException',
			code: 131047,
			error_data: {
				messaging_product: 'whatsapp',
				details: `Message failed to send. Key ${KEY} used.`,
			},
			fbtrace_id: 'A1',
		},
	};

	it('a WhatsApp error stops the run with a NodeApiError that says what to do', async () => {
		record(CLOUD, 'post', '/messages', window, 400);
		const result = await run(message('sendText', { text: 'Hi' }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(explainErrorCode(131047)?.meaning);
		expect(result.error?.name).toBe('NodeApiError');
		expect(String(result.error?.description)).toMatch(
			/^POST \/messages answered 400, WhatsApp error 131047\. 360dialog said: \(#131047\) Re-engagement message: Message failed to send\. Key \*\*hidden\*\* used\.$/,
		);
	});

	it('a wrong key (401) is named as such', async () => {
		record(
			CLOUD,
			'post',
			'/messages',
			{ meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } },
			401,
		);
		const result = await run(message('sendText', { text: 'Hi' }));
		expect(result.error?.message).toBe(explainErrorCode(401)?.meaning);
	});

	it('Continue On Fail: one item per failed input, with code, retryable and the redacted body; the others are sent', async () => {
		const bodies: IDataObject[] = [];
		nock(CLOUD)
			.post('/messages', (body: IDataObject) => bodies.push(body) > 0)
			.reply(400, window)
			.post('/messages', (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, { messages: [{ id: 'wamid.OK' }] })
			.post('/messages', (body: IDataObject) => bodies.push(body) > 0)
			.reply(429, { error: { message: 'Rate limit hit', code: 130429 } });
		const items = ['111111', '222222', '333333'].map((from) => triggerItem({ from }));
		const out = await output(message('sendText', { text: 'Hi', replyTo: '' }), {
			items,
			continueOnFail: true,
		});
		expect(bodies.map((body) => body.to)).toEqual(['111111', '222222', '333333']);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({
			error: explainErrorCode(131047)?.meaning,
			description: expect.stringContaining('WhatsApp error 131047'),
			httpCode: '400',
			code: 131047,
			retryable: false,
			response: {
				error: {
					...window.error,
					error_data: {
						messaging_product: 'whatsapp',
						details: 'Message failed to send. Key **hidden** used.',
					},
				},
			},
		});
		expect(out[1].json.messageId).toBe('wamid.OK');
		expect(out[2].json).toMatchObject({ code: 130429, retryable: true, httpCode: '429' });
		expect(JSON.stringify(out)).not.toContain(KEY);
	});

	it('an invalid input is a NodeOperationError for that item, and Continue On Fail keeps going', async () => {
		const api = record(CLOUD, 'post', '/messages');
		const items = [triggerItem({ from: 'nobody' }), triggerItem()];
		const out = await output(message('sendText', { text: 'Hi' }), { items, continueOnFail: true });
		expect(out[0].json).toMatchObject({
			error: 'The recipient "nobody" is neither a phone number nor a business-scoped user id',
			code: null,
			retryable: null,
		});
		expect(out[1].json.messageId).toBe('wamid.OUT1');
		expect(api.bodies).toHaveLength(1);
		const stopped = await run(message('sendText', { text: 'Hi' }), {
			items: [triggerItem({ from: 'nobody' })],
		});
		expect(stopped.error?.name).toBe('NodeOperationError');
	});

	it('sends one after another by default: the next request starts only after the previous answer', async () => {
		let inFlight = 0;
		let most = 0;
		const order: string[] = [];
		nock(CLOUD)
			.post('/messages')
			.times(4)
			.reply(async (_uri, body) => {
				inFlight++;
				most = Math.max(most, inFlight);
				order.push((body as IDataObject).to as string);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return [200, { messages: [{ id: `wamid.${(body as IDataObject).to}` }] }];
			});
		const items = ['111111', '222222', '333333', '444444'].map((from) => triggerItem({ from }));
		const out = await output(message('sendText', { text: 'Hi' }), { items });
		expect(most).toBe(1);
		expect(order).toEqual(['111111', '222222', '333333', '444444']);
		expect(out.map((item) => item.json.messageId)).toEqual([
			'wamid.111111',
			'wamid.222222',
			'wamid.333333',
			'wamid.444444',
		]);
	});

	it('Concurrency 3 keeps three requests in flight and the output in input order', async () => {
		const waiting: Array<() => void> = [];
		const gate = new Promise<void>((open) => waiting.push(open));
		let arrived = 0;
		nock(CLOUD)
			.post('/messages')
			.times(3)
			.reply(async (_uri, body) => {
				// Every answer waits until all three requests are in: this only finishes if they run at once.
				if (++arrived === 3) waiting[0]();
				await gate;
				return [200, { messages: [{ id: `wamid.${(body as IDataObject).to}` }] }];
			});
		const items = ['111111', '222222', '333333'].map((from) => triggerItem({ from }));
		const out = await output(message('sendText', { text: 'Hi', options: { concurrency: 3 } }), {
			items,
		});
		expect(arrived).toBe(3);
		expect(out.map((item) => item.json.messageId)).toEqual([
			'wamid.111111',
			'wamid.222222',
			'wamid.333333',
		]);
	});
});

describe('360dialog Trigger → 360dialog, in one run', () => {
	const TRIGGER_TYPE = NODE_TYPES.trigger;
	const inbound = (message: IDataObject) =>
		cloudMessages({ messages: [{ from: DOCS_CUSTOMER.waId, timestamp: '1750000000', ...message }] }, DOCS_NUMBER, { ...DOCS_CUSTOMER, name: 'Sheena' });

	async function viaTrigger(
		body: unknown,
		chain: Array<{ name: string; parameters: IDataObject }>,
	) {
		const result = await runWebhookTrigger({
			nodes: [
				makeNode({
					name: 'Trigger',
					type: TRIGGER_TYPE,
					webhookId: 'reply-hook',
					parameters: { authentication: 'generatedHeader' } as never,
				}),
				...chain.map((node) =>
					makeNode({ name: node.name, type: TYPE, parameters: node.parameters as never }),
				),
			],
			connections: connect(['Trigger', ...chain.map((node) => node.name)]),
			nodeTypes: { [TRIGGER_TYPE]: new Dialog360Trigger(), [TYPE]: new Dialog360() },
			credentials: { dialog360Api: cloudCredentials },
			credentialTypes: { dialog360Api: new Dialog360Api() },
			staticData: { 'node:Trigger': { secret: 's3cret' } },
			triggerNodeName: 'Trigger',
			request: {
				headers: { [GENERATED_HEADER_NAME]: 's3cret', 'content-type': 'application/json' },
				body,
				rawBody: Buffer.from(JSON.stringify(body)),
			},
		});
		expect(result.run?.status).toBe('success');
		return result.run!;
	}

	it('Send Text with the defaults answers the sender and quotes the message', async () => {
		const api = record(CLOUD, 'post', '/messages', { messages: [{ id: 'wamid.REPLY' }] });
		const run = await viaTrigger(
			inbound({ id: 'wamid.IN7', type: 'text', text: { body: 'Where is my order?' } }),
			[
				{
					name: 'Reply',
					parameters: message('sendText', { text: '=You wrote: {{ $json.text }}' }),
				},
			],
		);
		expect(api.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '16505551234',
				type: 'text',
				text: { body: 'You wrote: Where is my order?' },
				context: { message_id: 'wamid.IN7' },
			},
		]);
		expect(run.outputOf('Reply')[0].json).toMatchObject({
			messageId: 'wamid.REPLY',
			replyTo: 'wamid.IN7',
		});
	});

	it('an image: Mark as Read (typing), then Download Media of the trigger item', async () => {
		const read = record(CLOUD, 'post', '/messages', { success: true });
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 9, 9]);
		const media = nock(CLOUD)
			.get('/5551')
			.reply(200, {
				url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=5551&ext=1&hash=H',
				mime_type: 'image/jpeg',
				id: '5551',
			})
			.get('/whatsapp_business/attachments/')
			.query({ mid: '5551', ext: '1', hash: 'H' })
			.reply(200, bytes, { 'Content-Type': 'image/jpeg' });
		const run = await viaTrigger(
			inbound({
				id: 'wamid.IMG',
				type: 'image',
				image: { id: '5551', mime_type: 'image/jpeg', sha256: 'x' },
			}),
			[
				{ name: 'Read', parameters: message('markAsRead', { typingIndicator: true }) },
				{
					name: 'Download',
					parameters: {
						resource: 'media',
						operation: 'download',
					},
				},
			],
		);
		expect(read.bodies).toEqual([
			{
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.IMG',
				typing_indicator: { type: 'text' },
			},
		]);
		expect(media.isDone()).toBe(true);
		const [file] = run.outputOf('Download');
		expect(Buffer.from(file.binary?.data.data ?? '', 'base64').equals(bytes)).toBe(true);
		expect(file.json).toMatchObject({ mediaId: '5551', mimeType: 'image/jpeg' });
	});
});
