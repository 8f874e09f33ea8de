import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import {
	connectSimulator,
	DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL,
	DEFAULT_PREVIOUS_WEBHOOK_URL,
	hmacHex,
	isLoopbackUrl,
	startSimulator,
	type Simulator,
} from './simulator';

const CLOUD_KEY = 'cloud-key';
const ONPREM_KEY = 'onprem-key';
const PARTNER = { partnerId: 'testPA', apiKey: 'partner-key', platformSecret: 'platform-secret' };

interface Received {
	path: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/** A webhook receiver on loopback that answers with the given statuses in turn (then the last one). */
async function startReceiver(statuses: number[] = [200]) {
	const received: Received[] = [];
	let calls = 0;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			const status = statuses[Math.min(calls++, statuses.length - 1)];
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ status }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function call(
	sim: Simulator,
	method: string,
	urlPath: string,
	{ headers = {}, body }: { headers?: Record<string, string>; body?: unknown } = {},
) {
	const response = await fetch(sim.url + urlPath, {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const buffer = Buffer.from(await response.arrayBuffer());
	let json: any;
	try {
		json = JSON.parse(buffer.toString('utf8'));
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, json, buffer };
}

const cloud = { 'D360-API-KEY': CLOUD_KEY };
const onprem = { 'D360-API-KEY': ONPREM_KEY };

describe('360dialog simulator', () => {
	let sim: Simulator;

	beforeEach(async () => {
		sim = await startSimulator({
			numbers: [
				{ apiKey: CLOUD_KEY, kind: 'cloud' },
				{ apiKey: ONPREM_KEY, kind: 'onpremise' },
			],
			partners: [PARTNER],
			delivery: { retries: 2, retryDelayMs: 20 },
		});
	});

	afterEach(async () => {
		await sim.close();
	});

	describe('messaging webhook config (/v1/configs/webhook)', () => {
		it('answers 401 with the meta envelope for a missing or wrong D360-API-KEY', async () => {
			for (const headers of [{}, { 'D360-API-KEY': 'nope' }] as Array<Record<string, string>>) {
				const res = await call(sim, 'GET', '/v1/configs/webhook', { headers });
				expect(res.status).toBe(401);
				expect(res.json).toEqual({
					meta: { success: false, http_code: 401, developer_message: 'Invalid api key' },
				});
			}
		});

		it('starts with the pre-seeded previous URL, then stores what is POSTed', async () => {
			expect((await call(sim, 'GET', '/v1/configs/webhook', { headers: cloud })).json).toEqual({
				url: DEFAULT_PREVIOUS_WEBHOOK_URL,
				headers: {},
			});
			const set = await call(sim, 'POST', '/v1/configs/webhook', {
				headers: cloud,
				body: {
					url: 'http://localhost:5688/webhook/abc/webhook',
					headers: { Authorization: 'Basic eA==' },
				},
			});
			expect(set.status).toBe(200);
			expect(set.json).toEqual({
				url: 'http://localhost:5688/webhook/abc/webhook',
				headers: { Authorization: 'Basic eA==' },
			});
			expect((await call(sim, 'GET', '/v1/configs/webhook', { headers: cloud })).json).toEqual({
				url: 'http://localhost:5688/webhook/abc/webhook',
				headers: { Authorization: 'Basic eA==' },
			});
			// Numbers are separate: the On-Premise number still has its own previous URL.
			expect(sim.number(ONPREM_KEY)?.webhook.url).toBe(DEFAULT_PREVIOUS_WEBHOOK_URL);
			expect(sim.requests({ method: 'POST', path: '/v1/configs/webhook' })).toHaveLength(1);
		});

		it('rejects a body without url', async () => {
			const res = await call(sim, 'POST', '/v1/configs/webhook', {
				headers: cloud,
				body: { headers: {} },
			});
			expect(res.status).toBe(400);
			expect(res.json.meta.success).toBe(false);
		});
	});

	describe('/multi_webhook', () => {
		const dest = (name: string) => ({
			name,
			url: `http://127.0.0.1:1/${name}`,
			headers: { 'X-Name': name },
		});

		it('enables, appends, patches, deletes and disables, with at most 3 destinations', async () => {
			expect((await call(sim, 'GET', '/multi_webhook', { headers: cloud })).json).toEqual({
				enabled: false,
				destinations: [],
			});

			const put0 = await call(sim, 'PUT', '/multi_webhook', {
				headers: cloud,
				body: { destinations: [dest('a')] },
			});
			expect(put0.status).toBe(409); // not enabled yet

			const post = await call(sim, 'POST', '/multi_webhook', {
				headers: cloud,
				body: { enabled: true, destinations: [dest('a')] },
			});
			expect(post.status).toBe(200);
			expect(post.json).toEqual({ message: 'Operation started successfully' });

			expect(
				(
					await call(sim, 'PUT', '/multi_webhook', {
						headers: cloud,
						body: { destinations: [dest('b'), dest('c')] },
					})
				).status,
			).toBe(200);
			expect(
				(
					await call(sim, 'PUT', '/multi_webhook', {
						headers: cloud,
						body: { destinations: [dest('d')] },
					})
				).status,
			).toBe(409);
			expect(
				(
					await call(sim, 'PUT', '/multi_webhook', {
						headers: cloud,
						body: { destinations: [dest('a')] },
					})
				).status,
			).toBe(409);

			const patch = await call(sim, 'PATCH', '/multi_webhook', {
				headers: cloud,
				body: { name: 'b', url: 'http://127.0.0.1:2/b2', headers: { 'X-New': '1' } },
			});
			expect(patch.status).toBe(200);
			expect(
				(
					await call(sim, 'PATCH', '/multi_webhook', {
						headers: cloud,
						body: { name: 'B', url: 'http://x' },
					})
				).status,
			).toBe(404);

			expect((await call(sim, 'DELETE', '/multi_webhook?name=c', { headers: cloud })).status).toBe(
				200,
			);
			expect((await call(sim, 'GET', '/multi_webhook', { headers: cloud })).json).toEqual({
				enabled: true,
				destinations: [
					dest('a'),
					{ name: 'b', url: 'http://127.0.0.1:2/b2', headers: { 'X-New': '1' } },
				],
			});

			// POST replaces the list.
			await call(sim, 'POST', '/multi_webhook', {
				headers: cloud,
				body: { enabled: true, destinations: [dest('z')] },
			});
			expect(sim.number(CLOUD_KEY)?.multiWebhook.destinations.map((d) => d.name)).toEqual(['z']);
			expect(
				(
					await call(sim, 'POST', '/multi_webhook', {
						headers: cloud,
						body: { enabled: true, destinations: [dest('1'), dest('2'), dest('3'), dest('4')] },
					})
				).status,
			).toBe(409);

			await call(sim, 'POST', '/multi_webhook', { headers: cloud, body: { enabled: false } });
			expect((await call(sim, 'GET', '/multi_webhook', { headers: cloud })).json).toEqual({
				enabled: false,
				destinations: [],
			});
		});

		it('uses the {"error": ...} shape for 401 and refuses On-Premise numbers', async () => {
			const unauthorized = await call(sim, 'GET', '/multi_webhook', {
				headers: { 'D360-API-KEY': 'bad' },
			});
			expect(unauthorized.status).toBe(401);
			expect(unauthorized.json).toEqual({
				error: 'Unauthorized - Invalid or missing D360-API-KEY',
			});
			expect((await call(sim, 'GET', '/multi_webhook', { headers: onprem })).status).toBe(404);
		});
	});

	describe('media', () => {
		it('serves Cloud media: GET /{id} gives the lookaside URL, its path on the simulator gives the bytes', async () => {
			const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x02]);
			const info = sim.addMedia(CLOUD_KEY, {
				id: '1234567890',
				mimeType: 'image/jpeg',
				data: bytes,
			});
			const meta = await call(sim, 'GET', '/1234567890', { headers: cloud });
			expect(meta.status).toBe(200);
			expect(meta.json).toEqual({
				messaging_product: 'whatsapp',
				url: info.url,
				mime_type: 'image/jpeg',
				sha256: info.sha256,
				file_size: 6,
				id: '1234567890',
			});
			const lookaside = new URL(meta.json.url);
			expect(lookaside.origin).toBe('https://lookaside.fbsbx.com');
			expect(lookaside.searchParams.get('mid')).toBe('1234567890');

			const download = await call(sim, 'GET', lookaside.pathname + lookaside.search, {
				headers: cloud,
			});
			expect(download.status).toBe(200);
			expect(download.headers.get('content-type')).toBe('image/jpeg');
			expect(download.buffer.equals(bytes)).toBe(true);

			expect(
				(
					await call(sim, 'GET', lookaside.pathname + lookaside.search, {
						headers: { 'D360-API-KEY': 'bad' },
					})
				).status,
			).toBe(401);
			expect(
				(
					await call(sim, 'GET', '/whatsapp_business/attachments/?mid=1234567890&hash=wrong', {
						headers: cloud,
					})
				).status,
			).toBe(404);
			const unknown = await call(sim, 'GET', '/999', { headers: cloud });
			expect(unknown.status).toBe(404);
			expect(unknown.json.error.code).toBe(100);
			// Media belong to their number.
			expect((await call(sim, 'GET', '/1234567890', { headers: onprem })).status).toBe(404);
		});

		it('serves On-Premise media at /v1/media/{id}', async () => {
			const info = sim.addMedia(ONPREM_KEY, {
				mimeType: 'application/pdf',
				text: '%PDF-1.4 hello',
			});
			expect(info.id).toMatch(/^[0-9a-f-]{36}$/);
			const res = await call(sim, 'GET', `/v1/media/${info.id}`, { headers: onprem });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/pdf');
			expect(res.buffer.toString()).toBe('%PDF-1.4 hello');
			expect(
				(
					await call(sim, 'GET', '/v1/media/00000000-0000-0000-0000-000000000000', {
						headers: onprem,
					})
				).status,
			).toBe(404);
		});
	});

	describe('Partner API', () => {
		it('reads and sets the partner webhook URL with X-API-Key, with or without /api/v2', async () => {
			const headers = { 'X-API-Key': PARTNER.apiKey };
			expect((await call(sim, 'GET', '/partners/testPA/webhook_url', { headers })).json).toEqual({
				webhook_url: DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL,
			});
			const set = await call(sim, 'POST', '/api/v2/partners/testPA/webhook_url', {
				headers,
				body: { webhook_url: 'http://localhost:5688/webhook/p/webhook' },
			});
			expect(set.status).toBe(200);
			expect(set.json).toMatchObject({
				id: 'testPA',
				brand_name: 'Simulated Partner',
				webhook_url: 'http://localhost:5688/webhook/p/webhook',
			});
			expect(
				(await call(sim, 'GET', '/api/v2/partners/testPA/webhook_url', { headers })).json,
			).toEqual({
				webhook_url: 'http://localhost:5688/webhook/p/webhook',
			});
			expect(
				(
					await call(sim, 'GET', '/partners/testPA/webhook_url', {
						headers: { 'X-API-Key': 'wrong' },
					})
				).status,
			).toBe(401);
			expect((await call(sim, 'GET', '/partners/otherPA/webhook_url', { headers })).status).toBe(
				401,
			);
			expect(
				(await call(sim, 'POST', '/partners/testPA/webhook_url', { headers, body: {} })).status,
			).toBe(422);
		});
	});

	describe('sender', () => {
		it('delivers a messaging webhook with the registered headers, then fans out to multi-webhook destinations', async () => {
			const main = await startReceiver([200]);
			const extra = await startReceiver([200]);
			try {
				await call(sim, 'POST', '/v1/configs/webhook', {
					headers: cloud,
					body: { url: `${main.url}/hook`, headers: { 'X-Auth': 's3cret' } },
				});
				await call(sim, 'POST', '/multi_webhook', {
					headers: cloud,
					body: {
						enabled: true,
						destinations: [{ name: 'extra', url: `${extra.url}/x`, headers: { 'X-Extra': '1' } }],
					},
				});
				const raw = '{"object":"whatsapp_business_account",  "entry":[]}';
				const result = await sim.deliverMessaging(CLOUD_KEY, raw);
				expect(result.ok).toBe(true);
				expect(main.received).toHaveLength(1);
				expect(main.received[0].body).toBe(raw); // byte for byte
				expect(main.received[0].headers['x-auth']).toBe('s3cret');
				expect(main.received[0].headers['content-type']).toBe('application/json');
				expect(extra.received).toHaveLength(1);
				expect(extra.received[0].headers['x-extra']).toBe('1');
				expect(result.destinations.map((d) => d.name)).toEqual(['extra']);
			} finally {
				await main.close();
				await extra.close();
			}
		});

		it('retries a non-200 answer and sends nothing to the destinations while the main URL fails', async () => {
			const main = await startReceiver([500, 503, 202]);
			const extra = await startReceiver([200]);
			try {
				sim.addNumber({
					apiKey: 'k2',
					webhook: { url: main.url },
					multiWebhook: { enabled: true, destinations: [{ name: 'e', url: extra.url }] },
				});
				const result = await sim.deliverMessaging(
					'k2',
					{ hello: 1 },
					{ retries: 2, retryDelayMs: 10 },
				);
				expect(result.ok).toBe(false);
				expect(result.main.attempts.map((a) => a.status)).toEqual([500, 503, 202]); // 202 is not 200
				expect(main.received).toHaveLength(3);
				expect(extra.received).toHaveLength(0);
				expect(sim.deliveries({ apiKey: 'k2' })).toHaveLength(3);
			} finally {
				await main.close();
				await extra.close();
			}
		});

		it('stops retrying once the receiver answers 200', async () => {
			const main = await startReceiver([500, 200]);
			try {
				sim.addNumber({ apiKey: 'k3', webhook: { url: main.url } });
				const result = await sim.deliverMessaging('k3', { n: 1 });
				expect(result.ok).toBe(true);
				expect(result.main.attempts.map((a) => [a.attempt, a.status])).toEqual([
					[1, 500],
					[2, 200],
				]);
			} finally {
				await main.close();
			}
		});

		it('records connection failures and never contacts a non-loopback URL', async () => {
			const refused = await sim.deliverMessaging(CLOUD_KEY, { a: 1 }); // still the pre-seeded previous URL
			expect(refused.ok).toBe(false);
			expect(refused.main.attempts).toHaveLength(1);
			expect(refused.main.attempts[0].status).toBeNull();
			expect(refused.main.attempts[0].error).toMatch(/refused/);

			sim.addNumber({ apiKey: 'k4', webhook: { url: 'http://127.0.0.1:1/closed' } });
			const failed = await sim.deliverMessaging('k4', { a: 1 }, { retries: 1, retryDelayMs: 5 });
			expect(failed.main.attempts).toHaveLength(2);
			expect(failed.main.attempts[0].error).toBeTruthy();

			expect(isLoopbackUrl('http://localhost:1/x')).toBe(true);
			expect(isLoopbackUrl('http://[::1]:1/x')).toBe(true);
			expect(isLoopbackUrl('http://127.1.2.3/x')).toBe(true);
			expect(isLoopbackUrl('http://10.0.0.1/x')).toBe(false);
			expect(isLoopbackUrl('https://example.com/x')).toBe(false);
		});

		it('signs partner deliveries with lowercase hex HMAC-SHA256 of the raw body', async () => {
			const hub = await startReceiver([200]);
			try {
				await call(sim, 'POST', '/partners/testPA/webhook_url', {
					headers: { 'X-API-Key': PARTNER.apiKey },
					body: { webhook_url: `${hub.url}/partner` },
				});
				const raw = '{"event":"channel_created", "payload":{"id":"x"}}\n';
				await sim.deliverPartner('testPA', raw);
				await sim.deliverPartner('testPA', raw, { signature: 'wrong' });
				await sim.deliverPartner('testPA', raw, { signature: 'missing' });
				const expected = createHmac('sha256', PARTNER.platformSecret).update(raw).digest('hex');
				expect(hub.received.map((r) => r.body)).toEqual([raw, raw, raw]);
				expect(hub.received[0].headers['x-360dialog-signature']).toBe(expected);
				expect(hmacHex(PARTNER.platformSecret, raw)).toBe(expected);
				expect(hub.received[1].headers['x-360dialog-signature']).toMatch(/^[0-9a-f]{64}$/);
				expect(hub.received[1].headers['x-360dialog-signature']).not.toBe(expected);
				expect(hub.received[2].headers['x-360dialog-signature']).toBeUndefined();
			} finally {
				await hub.close();
			}
		});
	});

	describe('control API and client', () => {
		it('captures bodies, delivers through HTTP and resets', async () => {
			const client = connectSimulator(sim.url);
			const hub = await startReceiver([200]);
			try {
				await client.addPartner({
					partnerId: 'p2',
					apiKey: 'k',
					platformSecret: 'sec',
					webhookUrl: hub.url,
				});
				const raw = '{"b":  2}';
				const outcome = await client.deliverPartner('p2', raw, { signature: 'valid' });
				expect(outcome.ok).toBe(true);
				expect(hub.received[0].body).toBe(raw);
				expect(hub.received[0].headers['x-360dialog-signature']).toBe(hmacHex('sec', raw));

				await client.addNumber({
					apiKey: 'k5',
					webhook: { url: hub.url, headers: { 'X-A': 'b' } },
				});
				const messaging = await client.deliverMessaging('k5', { entry: [] }, { retries: 0 });
				expect(messaging.ok).toBe(true);
				expect(
					(await client.deliveries({ apiKey: 'k5' })).map((d) => d.requestHeaders['X-A']),
				).toEqual(['b']);

				const media = await client.addMedia('k5', {
					mimeType: 'audio/ogg',
					data: Buffer.from([1, 2, 3]),
				});
				expect(media.file_size).toBe(3);

				const pending = client.waitForCaptures('tag-1', { count: 2, timeoutMs: 5000 });
				await fetch(`${sim.url}/__capture/tag-1`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: '{"x":1}',
				});
				await fetch(`${sim.url}/__capture/tag-1`, { method: 'POST', body: 'not json' });
				const captured = await pending;
				expect(captured.map((c) => c.body)).toEqual([{ x: 1 }, 'not json']);
				expect(captured[0].base64).toBeUndefined();
				expect(captured[1].base64).toBe(Buffer.from('not json').toString('base64'));

				const bytes = Buffer.from([0xff, 0xd8, 0x00, 0x80, 0xfe]);
				await fetch(`${sim.url}/__capture/tag-bytes`, {
					method: 'POST',
					headers: { 'content-type': 'image/jpeg' },
					body: bytes,
				});
				const [binary] = await client.captures('tag-bytes');
				expect(Buffer.from(binary.base64 ?? '', 'base64')).toEqual(bytes);
				expect(binary.headers['content-type']).toBe('image/jpeg');
				await client.clearCaptures('tag-bytes');

				const state = await client.state();
				expect(state.numbers.map((n) => n.apiKey)).toEqual([CLOUD_KEY, ONPREM_KEY, 'k5']);
				expect(state.captureTags).toEqual(['tag-1']);

				await client.reset();
				const after = await client.state();
				expect(after.numbers.map((n) => n.apiKey)).toEqual([CLOUD_KEY, ONPREM_KEY]);
				expect(after.partners.map((p) => p.partnerId)).toEqual(['testPA']);
				expect(await client.captures('tag-1')).toEqual([]);
				expect(await client.deliveries()).toEqual([]);
				await expect(client.deliverMessaging('k5', {})).rejects.toThrow(/404/);
			} finally {
				await hub.close();
			}
		});
	});

	it('runs standalone: npm run simulator -- --port 0 --seed', async () => {
		const child = spawn(
			process.execPath,
			['-r', path.join(__dirname, '..', '..', 'scripts', 'register-ts.js'), path.join(__dirname, 'simulator.ts'), '--port', '0', '--seed'],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString();
					const match = /listening on (http:\/\/\S+)/.exec(out);
					if (match) resolve(match[1]);
				});
				child.on('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
			});
			const state = await connectSimulator(url).state();
			expect(state.numbers.map((n) => n.apiKey)).toEqual(['sim-cloud-key', 'sim-onprem-key']);
			expect(state.partners.map((p) => p.partnerId)).toEqual(['simPA']);
		} finally {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		}
	});
});

describe('Messaging API sends, uploads and templates', () => {
	let sim: Simulator;
	const TEMPLATE = { name: 'order_update', language: 'en_US', status: 'approved', category: 'UTILITY', namespace: 'ns', components: [] };
	beforeAll(async () => {
		sim = await startSimulator({
			numbers: [
				{ apiKey: CLOUD_KEY, kind: 'cloud', templates: [TEMPLATE] },
				{ apiKey: ONPREM_KEY, kind: 'onpremise' },
			],
		});
	});
	afterAll(() => sim.close());
	const post = (key: string, urlPath: string, body: unknown) =>
		fetch(sim.url + urlPath, { method: 'POST', headers: { 'd360-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('answers a Cloud send with a wamid and records the body and headers', async () => {
		const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'text', text: { body: 'Hi' }, context: { message_id: 'wamid.IN' } };
		const response = await post(CLOUD_KEY, '/messages', body);
		expect(response.status).toBe(200);
		const answer = (await response.json()) as { messages: Array<{ id: string }>; contacts: unknown[] };
		expect(answer.messages[0].id).toMatch(/^wamid\.SIM/);
		expect(answer.contacts).toEqual([{ input: '4915112345678', wa_id: '4915112345678' }]);
		const [sent] = sim.sent({ apiKey: CLOUD_KEY, kind: 'message' });
		expect(sent).toMatchObject({ method: 'POST', path: '/messages', body, status: 200, response: answer });
		expect(sent.headers['d360-api-key']).toBe(CLOUD_KEY);
	});

	it('keeps each API to its own paths and validates what it needs', async () => {
		expect((await post(ONPREM_KEY, '/messages', {})).status).toBe(404);
		expect((await post(CLOUD_KEY, '/v1/messages', {})).status).toBe(404);
		expect((await post(CLOUD_KEY, '/messages', { to: '1', type: 'text', text: {} })).status).toBe(400);
		expect((await post('wrong', '/messages', {})).status).toBe(401);
		const onPrem = await post(ONPREM_KEY, '/v1/messages', { to: '4915112345678', type: 'text', text: { body: 'x' } });
		expect(((await onPrem.json()) as { messages: Array<{ id: string }> }).messages[0].id).toMatch(/^gBGGSIM/);
		const read = await fetch(`${sim.url}/v1/messages/ABGG1`, { method: 'PUT', headers: { 'd360-api-key': ONPREM_KEY }, body: JSON.stringify({ status: 'read' }) });
		expect(read.status).toBe(200);
		expect(sim.sent({ apiKey: ONPREM_KEY, kind: 'read' })).toHaveLength(1);
	});

	it('answers the next send with a queued failure', async () => {
		sim.failNext(CLOUD_KEY, { status: 400, body: { error: { code: 131047, message: 'Re-engagement message' } } });
		const failed = await post(CLOUD_KEY, '/messages', { messaging_product: 'whatsapp', to: '1', type: 'text', text: { body: 'x' } });
		expect(failed.status).toBe(400);
		expect(await failed.json()).toEqual({ error: { code: 131047, message: 'Re-engagement message' } });
		expect((await post(CLOUD_KEY, '/messages', { messaging_product: 'whatsapp', to: '1', type: 'text', text: { body: 'x' } })).status).toBe(200);
	});

	it('stores multipart (Cloud) and raw (On-Premise) uploads as media that can be fetched and deleted', async () => {
		const bytes = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00]);
		const boundary = 'XyZ';
		const multipart = Buffer.concat([
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/jpeg\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
			bytes,
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]);
		const cloud = await fetch(`${sim.url}/media`, { method: 'POST', headers: { 'd360-api-key': CLOUD_KEY, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: multipart });
		const { id } = (await cloud.json()) as { id: string };
		const info = sim.state().media[CLOUD_KEY].find((media) => media.id === id);
		expect(info).toMatchObject({ mime_type: 'image/jpeg', file_size: bytes.length });
		expect(sim.sent({ kind: 'upload' })[0].body).toMatchObject({ fileName: 'a.jpg', mimeType: 'image/jpeg', size: bytes.length });
		expect((await fetch(`${sim.url}/${id}`, { method: 'DELETE', headers: { 'd360-api-key': CLOUD_KEY } })).status).toBe(200);
		expect((await fetch(`${sim.url}/${id}`, { method: 'DELETE', headers: { 'd360-api-key': CLOUD_KEY } })).status).toBe(404);

		const raw = await fetch(`${sim.url}/v1/media`, { method: 'POST', headers: { 'd360-api-key': ONPREM_KEY, 'content-type': 'audio/ogg' }, body: bytes });
		const uuid = ((await raw.json()) as { media: Array<{ id: string }> }).media[0].id;
		const back = await fetch(`${sim.url}/v1/media/${uuid}`, { headers: { 'd360-api-key': ONPREM_KEY } });
		expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
		expect((await fetch(`${sim.url}/v1/media/${uuid}`, { method: 'DELETE', headers: { 'd360-api-key': ONPREM_KEY } })).status).toBe(200);
	});

	it('lists the number\'s templates, settable over the control API', async () => {
		const list = await fetch(`${sim.url}/v1/configs/templates?limit=1000`, { headers: { 'd360-api-key': CLOUD_KEY } });
		expect(await list.json()).toMatchObject({ count: 1, waba_templates: [TEMPLATE] });
		const client = connectSimulator(sim.url);
		await client.setTemplates(CLOUD_KEY, []);
		const empty = await fetch(`${sim.url}/v1/configs/templates`, { headers: { 'd360-api-key': CLOUD_KEY } });
		expect(((await empty.json()) as { waba_templates: unknown[] }).waba_templates).toEqual([]);
		expect((await client.sent({ apiKey: CLOUD_KEY, kind: 'message' })).length).toBeGreaterThan(0);
	});
});
