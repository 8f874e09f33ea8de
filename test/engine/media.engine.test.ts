import fc from 'fast-check';
import nock from 'nock';
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360Normalize } from '../../nodes/Dialog360Normalize/Dialog360Normalize.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { extensionFor, fileNameFor, swapHost, withMedia } from '../../nodes/shared/n8n/media';
import { normalize } from '../../index';
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { cloudMessages, DOCS_CUSTOMER, DOCS_NUMBER } from '../support/payloads';
import { connect, makeNode, NO_OP_TYPE, noOpNode, runWebhookTrigger, runWorkflow } from './harness';
import { NODE_TYPES } from '../support/node-types';

const BASE = 'https://waba-v2.360dialog.io';
const ONPREM = 'https://waba.360dialog.io';
const KEY = 'test-d360-key';
const NORMALIZE_TYPE = NODE_TYPES.normalize;
const TRIGGER_TYPE = NODE_TYPES.trigger;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const OGG = Buffer.from('OggS\u0000\u0002fake-opus-voice-note', 'latin1');

const cloudMessage = (message: IDataObject) =>
	cloudMessages({ messages: [{ from: DOCS_CUSTOMER.waId, timestamp: '1744344496', ...message }] }, DOCS_NUMBER, DOCS_CUSTOMER);

const image = cloudMessage({ id: 'wamid.IMG1', type: 'image', image: { id: '1003383421387256', mime_type: 'image/jpeg', sha256: 'x', caption: 'Taj Mahal' } });
const pdf = cloudMessage({ id: 'wamid.DOC1', type: 'document', document: { id: '622684793477189', mime_type: 'application/pdf', filename: 'receipt.pdf' } });
const text = cloudMessage({ id: 'wamid.TXT1', type: 'text', text: { body: 'no media here' } });
const onPremVoice = {
	messages: [
		{ from: '16315551234', id: 'ABGGFlA5Fpaf', timestamp: '1521827831', type: 'voice', voice: { id: '463eb7ec-ff4e-4d9b-b110-1879cbd411b2', mime_type: 'audio/ogg; codecs=opus', sha256: 'fa9e' } },
	],
};

/** Meta's media object, with the lookaside URL a 360dialog key cannot call directly. */
const mediaObject = (id: string, mime: string, size: number) => ({
	messaging_product: 'whatsapp',
	url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${id}&ext=1744344496&hash=ATu2`,
	mime_type: mime,
	sha256: 'x',
	file_size: size,
	id,
});

async function normalizeWithMedia(body: unknown, credentials: IDataObject, parameters: IDataObject = {}) {
	const run = await runWorkflow({
		nodes: [
			makeNode({ name: 'Webhook', type: NO_OP_TYPE }),
			makeNode({ name: 'Normalize', type: NORMALIZE_TYPE, parameters: { downloadMedia: true, ...parameters } as never }),
		],
		connections: connect(['Webhook', 'Normalize']),
		nodeTypes: { [NO_OP_TYPE]: noOpNode, [NORMALIZE_TYPE]: new Dialog360Normalize() },
		credentials: { dialog360Api: credentials as never },
		credentialTypes: { dialog360Api: new Dialog360Api() },
		startData: { nodeName: 'Webhook', items: [{ json: { body } as IDataObject }] },
	});
	expect(run.status).toBe('success');
	return run.outputOf('Normalize');
}

const bytesOf = (item: INodeExecutionData, property = 'data'): Buffer => Buffer.from(item.binary?.[property]?.data ?? '', 'base64');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('media helpers', () => {
	it('swaps Meta\'s lookaside host for the 360dialog base URL, keeping path and query exactly', () => {
		expect(swapHost('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133&ext=17&hash=AT%2Bx', 'https://waba-v2.360dialog.io')).toBe(
			'https://waba-v2.360dialog.io/whatsapp_business/attachments/?mid=133&ext=17&hash=AT%2Bx',
		);
		expect(swapHost('https://lookaside.fbsbx.com/a/b?c=d', 'http://127.0.0.1:5800/')).toBe('http://127.0.0.1:5800/a/b?c=d');
		expect(swapHost('https://lookaside.fbsbx.com/a?c=d', 'http://127.0.0.1:5800/proxy/')).toBe('http://127.0.0.1:5800/proxy/a?c=d');
	});

	it.each([
		'x:@evil.example/steal',
		'evil.example/steal',
		'//evil.example/steal',
		'https://user:pass@lookaside.fbsbx.com/a',
		'javascript:alert(1)',
		'file:///etc/passwd',
		'',
	])('never builds a URL off the base URL\'s origin from %p', (lookaside) => {
		const swapped = swapHost(lookaside, 'https://waba-v2.360dialog.io');
		if (swapped !== null) expect(new URL(swapped).origin).toBe('https://waba-v2.360dialog.io');
	});

	it('keeps every swapped URL on the base URL\'s origin, whatever the lookaside URL', () => {
		fc.assert(
			fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), fc.constantFrom('https://waba-v2.360dialog.io', 'http://127.0.0.1:5800/x/'), (lookaside, base) => {
				const swapped = swapHost(lookaside, base);
				return swapped === null || new URL(swapped).origin === new URL(base).origin;
			}),
		);
	});

	it('looks file extensions up in its own table only', () => {
		expect(extensionFor('constructor')).toBe('bin');
		expect(extensionFor('application/constructor')).toBe('constructor');
		expect(extensionFor('__proto__')).toBe('bin');
		expect(fileNameFor({ messageId: 'm', media: { id: '1', filename: null } }, 'constructor')).toBe('m.bin');
	});

	it('names files after the document, or the message id and the MIME type', () => {
		expect(extensionFor('audio/ogg; codecs=opus')).toBe('ogg');
		expect(extensionFor('image/jpeg')).toBe('jpg');
		expect(extensionFor('application/x-unheard-of')).toBe('bin');
		expect(fileNameFor({ messageId: 'wamid.A', media: { id: '1', filename: 'receipt.pdf' } }, 'application/pdf')).toBe('receipt.pdf');
		expect(fileNameFor({ messageId: 'wamid.HBg=/x', media: { id: '1', filename: null } }, 'image/webp')).toBe('wamid.HBg_x.webp');
	});
});

describe('Download Media in the Normalize node (n8n-core engine, nock)', () => {
	const cloudCredentials = { apiKey: KEY, environment: 'cloud' };

	it('Cloud: fetches the media object, then the bytes from the 360dialog host, with the API key', async () => {
		const api = nock(BASE, { reqheaders: { 'D360-API-KEY': KEY } })
			.get('/1003383421387256')
			.reply(200, mediaObject('1003383421387256', 'image/jpeg', JPEG.length))
			.get('/whatsapp_business/attachments/')
			.query({ mid: '1003383421387256', ext: '1744344496', hash: 'ATu2' })
			.reply(200, JPEG, { 'Content-Type': 'image/jpeg' });
		const [item] = await normalizeWithMedia(image, cloudCredentials);
		expect(api.isDone()).toBe(true);
		expect(bytesOf(item).equals(JPEG)).toBe(true);
		expect(item.binary?.data).toMatchObject({ mimeType: 'image/jpeg', fileName: 'wamid.IMG1.jpg' });
		expect(item.json).toMatchObject({ event: 'message.image', text: 'Taj Mahal' });
		expect(item.json.mediaError).toBeUndefined();
	});

	it('On-Premise: fetches /v1/media/{id} directly and takes the MIME type from the answer', async () => {
		const api = nock(ONPREM, { reqheaders: { 'D360-API-KEY': KEY } })
			.get('/v1/media/463eb7ec-ff4e-4d9b-b110-1879cbd411b2')
			.reply(200, OGG, { 'Content-Type': 'audio/ogg' });
		const [item] = await normalizeWithMedia(onPremVoice, { apiKey: KEY, environment: 'onPremise' }, { binaryProperty: 'voice' });
		expect(api.isDone()).toBe(true);
		expect(bytesOf(item, 'voice').equals(OGG)).toBe(true);
		expect(item.binary?.voice).toMatchObject({ mimeType: 'audio/ogg', fileName: 'ABGGFlA5Fpaf.ogg' });
		expect(item.json).toMatchObject({ type: 'audio', media: { voice: true } });
	});

	it('keeps a document\'s own file name, and leaves messages without media untouched', async () => {
		nock(BASE)
			.get('/622684793477189')
			.reply(200, mediaObject('622684793477189', 'application/pdf', 4))
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(200, Buffer.from('%PDF'), { 'Content-Type': 'application/pdf' });
		const [doc] = await normalizeWithMedia(pdf, cloudCredentials);
		expect(doc.binary?.data).toMatchObject({ fileName: 'receipt.pdf', mimeType: 'application/pdf' });
		const [plain] = await normalizeWithMedia(text, cloudCredentials);
		expect(plain.binary).toBeUndefined();
		expect(plain.json).toMatchObject({ text: 'no media here' });
		expect(plain.json.mediaError).toBeUndefined();
	});

	it('skips a file over Max Size, from the media object\'s file_size, without downloading it', async () => {
		const api = nock(BASE).get('/1003383421387256').reply(200, mediaObject('1003383421387256', 'image/jpeg', 3 * 1024 * 1024));
		const [item] = await normalizeWithMedia(image, cloudCredentials, { maxSizeMb: 2 });
		expect(api.isDone()).toBe(true);
		expect(item.binary).toBeUndefined();
		expect(item.json.mediaError).toMatch(/3\.0 MB, over the 2\.0 MB limit/);
		expect(item.json).toMatchObject({ event: 'message.image', messageId: 'wamid.IMG1', media: { id: '1003383421387256' } });
	});

	it('skips a downloaded file over Max Size when the size was not announced', async () => {
		const big = Buffer.alloc(1024 * 1024 + 1, 1);
		nock(ONPREM).get('/v1/media/463eb7ec-ff4e-4d9b-b110-1879cbd411b2').reply(200, big, { 'Content-Type': 'audio/ogg' });
		const [item] = await normalizeWithMedia(onPremVoice, { apiKey: KEY, environment: 'onPremise' }, { maxSizeMb: 1 });
		expect(item.binary).toBeUndefined();
		expect(item.json.mediaError).toMatch(/over the 1\.0 MB limit/);
	});

	it.each([
		['an expired media id (404 on the media object)', () => nock(BASE).get('/1003383421387256').reply(404, { error: { message: 'Unsupported get request' } }), /no media .* \(404\)/],
		['a failing download (500 on the bytes)', () => nock(BASE).get('/1003383421387256').reply(200, mediaObject('1003383421387256', 'image/jpeg', 12)).get('/whatsapp_business/attachments/').query(true).reply(500, 'oops'), /answered 500/],
		['a media object without a URL', () => nock(BASE).get('/1003383421387256').reply(200, { id: '1003383421387256' }), /no download URL/],
		['a network failure', () => nock(BASE).get('/1003383421387256').replyWithError('socket hang up'), /Could not fetch .*socket hang up/],
	])('keeps the event with a mediaError on %s', async (_case, mock, reason) => {
		const api = mock();
		const [item] = await normalizeWithMedia(image, cloudCredentials);
		expect(api.isDone()).toBe(true);
		expect(item.binary).toBeUndefined();
		expect(item.json.mediaError).toMatch(reason);
		expect(item.json).toEqual(expect.objectContaining({ ...JSON.parse(JSON.stringify(normalize(image)[0])) }));
	});

	it('refuses a download URL that would take the API key to another host', async () => {
		const api = nock(BASE).get('/1003383421387256').reply(200, { ...mediaObject('1003383421387256', 'image/jpeg', 12), url: 'x:@evil.example/steal' });
		const evil = nock('https://evil.example').get(/.*/).reply(200, 'stolen');
		const [item] = await normalizeWithMedia(image, cloudCredentials);
		expect(api.isDone()).toBe(true);
		expect(evil.isDone()).toBe(false);
		expect(item.json.mediaError).toMatch(/cannot be fetched through https:\/\/waba-v2\.360dialog\.io/);
	});

	it('follows a redirect to another host without the API key, and one on the same host with it', async () => {
		const keys: Array<string | undefined> = [];
		nock(BASE)
			.get('/1003383421387256')
			.reply(200, mediaObject('1003383421387256', 'image/jpeg', JPEG.length))
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(function () {
				keys.push(this.req.headers['d360-api-key'] as string | undefined);
				return [302, '', { Location: '/moved/here' }];
			})
			.get('/moved/here')
			.reply(function () {
				keys.push(this.req.headers['d360-api-key'] as string | undefined);
				return [302, '', { Location: 'https://cdn.example/signed?t=1' }];
			});
		nock('https://cdn.example')
			.get('/signed')
			.query({ t: '1' })
			.reply(function () {
				keys.push(this.req.headers['d360-api-key'] as string | undefined);
				return [200, JPEG, { 'Content-Type': 'image/jpeg' }];
			});
		const [item] = await normalizeWithMedia(image, cloudCredentials);
		expect(item.json.mediaError).toBeUndefined();
		expect(bytesOf(item).equals(JPEG)).toBe(true);
		expect(keys).toEqual([KEY, KEY, undefined]);
	});

	it('stops after three redirects', async () => {
		nock(BASE)
			.get('/1003383421387256')
			.reply(200, mediaObject('1003383421387256', 'image/jpeg', 12))
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(302, '', { Location: '/loop' })
			.get('/loop')
			.times(3)
			.reply(302, '', { Location: '/loop' });
		const [item] = await normalizeWithMedia(image, cloudCredentials);
		expect(item.json.mediaError).toMatch(/Gave up after 3 redirects/);
	});

	/**
	 * A real HTTP server on loopback that serves `total` bytes in 64 KB chunks, honouring
	 * backpressure, and counts how many it wrote before the client hung up (nock would buffer the
	 * whole body and hide whether the download stopped early).
	 */
	async function largeFileServer(total: number, announce: boolean) {
		let written = 0;
		const server = http.createServer((_request, response) => {
			response.writeHead(200, { 'Content-Type': 'audio/ogg', ...(announce ? { 'Content-Length': String(total) } : {}) });
			const chunk = Buffer.alloc(64 * 1024, 1);
			const pump = () => {
				while (written < total && !response.destroyed) {
					written += chunk.length;
					if (!response.write(chunk)) return void response.once('drain', pump);
				}
				response.end();
			};
			response.on('close', () => response.destroy());
			pump();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		nock.enableNetConnect('127.0.0.1');
		const { port } = server.address() as AddressInfo;
		return {
			baseUrl: `http://127.0.0.1:${port}`,
			written: () => written,
			close: () => new Promise<void>((resolve) => server.close(() => resolve())),
		};
	}

	it.each([
		['announced with Content-Length', true, /50\.0 MB, over the 1\.0 MB limit/],
		['not announced', false, /over the 1\.0 MB limit \(Max Size\); the download was stopped there/],
	])('stops a download over Max Size early when its size is %s', async (_case, announce, reason) => {
		const server = await largeFileServer(50 * 1024 * 1024, announce);
		try {
			const [item] = await normalizeWithMedia(onPremVoice, { apiKey: KEY, environment: 'custom', baseUrl: server.baseUrl }, { maxSizeMb: 1 });
			expect(item.binary).toBeUndefined();
			expect(item.json.mediaError).toMatch(reason);
			// Socket buffers hold a few MB at most: far from the 50 MB the server would have sent.
			expect(server.written()).toBeLessThan(12 * 1024 * 1024);
		} finally {
			await server.close();
			nock.disableNetConnect();
		}
	});

	it('reports a timeout as a timeout', async () => {
		const [event] = normalize(image);
		const context = {
			getCredentials: async () => ({ apiKey: KEY, environment: 'cloud' }),
			helpers: {
				httpRequestWithAuthentication: async () => {
					throw new Error('timeout of 30000ms exceeded');
				},
			},
		} as unknown as IWebhookFunctions;
		const [item] = await withMedia(context, [{ event, item: { json: { id: event.id } } }], { binaryProperty: 'data', maxBytes: 1e6, timeoutMs: 30000 });
		expect(item.json.mediaError).toMatch(/^Timed out after 30 s/);
	});
});

describe('Download Media in the 360dialog Trigger', () => {
	it('puts the image into the trigger\'s item before the workflow runs', async () => {
		nock(BASE)
			.get('/1003383421387256')
			.reply(200, mediaObject('1003383421387256', 'image/jpeg', JPEG.length))
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(200, JPEG, { 'Content-Type': 'image/jpeg' });
		const result = await runWebhookTrigger({
			nodes: [
				makeNode({ name: 'Trigger', type: TRIGGER_TYPE, webhookId: 'media-hook', parameters: { downloadMedia: true, authentication: 'generatedHeader' } as never }),
				makeNode({ name: 'Next', type: NO_OP_TYPE }),
			],
			connections: connect(['Trigger', 'Next']),
			nodeTypes: { [TRIGGER_TYPE]: new Dialog360Trigger(), [NO_OP_TYPE]: noOpNode },
			credentials: { dialog360Api: { apiKey: KEY, environment: 'cloud' } },
			credentialTypes: { dialog360Api: new Dialog360Api() },
			staticData: { 'node:Trigger': { secret: 's3cret' } },
			triggerNodeName: 'Trigger',
			request: { headers: { [GENERATED_HEADER_NAME]: 's3cret', 'content-type': 'application/json' }, body: image, rawBody: Buffer.from(JSON.stringify(image)) },
		});
		const [item] = result.run?.outputOf('Next') ?? [];
		expect(bytesOf(item).equals(JPEG)).toBe(true);
		expect(item.json).toMatchObject({ event: 'message.image', from: '16505551234' });
	});
});
