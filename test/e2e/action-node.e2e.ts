/**
 * The 360dialog action node inside a real n8n, closing the loop from the trigger: the simulator
 * delivers an inbound message, the published workflow answers through the node, and the test
 * checks what the simulator received (exact JSON bodies, headers, the reply's context id) and what
 * the workflow captured.
 */
import { createHash, randomBytes } from 'node:crypto';

import { explainErrorCode } from '../../nodes/shared/core/errorCatalog';
import { cloudMessages } from '../support/payloads';
import { simulator, waitForExecutions } from './harness';
import { NUMBERS } from './fixtures';
import { CAPTURE_TAGS } from './workflows';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

type CloudNumber = (typeof NUMBERS)['replyCloud'] | (typeof NUMBERS)['readDownload'];

function cloudInbound(number: CloudNumber, message: Record<string, unknown>, contact: Record<string, unknown>) {
	return cloudMessages({ contacts: [contact], messages: [{ timestamp: '1750031410', ...message }] }, number);
}

async function deliver(apiKey: string, payload: unknown) {
	const outcome = await simulator().deliverMessaging(apiKey, payload, { retries: 0 });
	expect(outcome.main.attempts[0].status).toBe(200);
}

describe('360dialog Trigger → 360dialog (Send Text reply)', () => {
	const number = NUMBERS.replyCloud;

	it('Cloud: the reply goes to the sender, quotes their message, and carries the text built from the item', async () => {
		const sim = simulator();
		await sim.clearCaptures(CAPTURE_TAGS.replyCloud);
		const before = (await sim.sent({ apiKey: number.apiKey })).length;
		await deliver(
			number.apiKey,
			cloudInbound(
				number,
				{ from: '16505551234', id: 'wamid.e2e-reply-1', type: 'text', text: { body: 'Where is my order?' } },
				{ profile: { name: 'Ada' }, wa_id: '16505551234' },
			),
		);
		const [execution] = await waitForExecutions(CAPTURE_TAGS.replyCloud, 1, { timeoutMs: 30000 });
		const sent = (await sim.sent({ apiKey: number.apiKey })).slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ kind: 'message', method: 'POST', path: '/messages', status: 200 });
		expect(sent[0].body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '16505551234',
			type: 'text',
			text: { body: 'Thanks, Ada! You wrote: Where is my order?' },
			context: { message_id: 'wamid.e2e-reply-1' },
		});
		expect(sent[0].headers['d360-api-key']).toBe(number.apiKey);
		expect(sent[0].headers['content-type']).toMatch(/^application\/json/);
		const response = sent[0].response as { messages: Array<{ id: string }> };
		expect(execution.items).toEqual([
			{
				messageId: response.messages[0].id,
				messageStatus: 'accepted',
				type: 'text',
				to: '16505551234',
				recipient: null,
				replyTo: 'wamid.e2e-reply-1',
				bizOpaqueCallbackData: null,
				response,
			},
		]);
	});

	it('Cloud: a sender known only by business-scoped user id is answered as `recipient`', async () => {
		const sim = simulator();
		await sim.clearCaptures(CAPTURE_TAGS.replyCloud);
		const before = (await sim.sent({ apiKey: number.apiKey })).length;
		await deliver(
			number.apiKey,
			cloudInbound(
				number,
				{ from_user_id: 'US.13491208655302741918', id: 'wamid.e2e-reply-2', type: 'text', text: { body: 'hi' } },
				{ profile: { name: 'Bo' }, user_id: 'US.13491208655302741918' },
			),
		);
		await waitForExecutions(CAPTURE_TAGS.replyCloud, 1, { timeoutMs: 30000 });
		const [sent] = (await sim.sent({ apiKey: number.apiKey })).slice(before);
		expect(sent.body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			recipient: 'US.13491208655302741918',
			type: 'text',
			text: { body: 'Thanks, Bo! You wrote: hi' },
			context: { message_id: 'wamid.e2e-reply-2' },
		});
	});

	it('Cloud: a closed window (131047) becomes an error item that says to send a template', async () => {
		const sim = simulator();
		await sim.clearCaptures(CAPTURE_TAGS.replyCloud);
		const body = { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed' } } };
		await sim.failNext(number.apiKey, { status: 400, body });
		await deliver(
			number.apiKey,
			cloudInbound(number, { from: '16505551234', id: 'wamid.e2e-reply-3', type: 'text', text: { body: 'late' } }, { profile: { name: 'Ada' }, wa_id: '16505551234' }),
		);
		const [execution] = await waitForExecutions(CAPTURE_TAGS.replyCloud, 1, { timeoutMs: 30000 });
		expect(execution.items).toEqual([
			{
				error: explainErrorCode(131047)?.meaning,
				description: 'POST /messages answered 400, WhatsApp error 131047. 360dialog said: (#131047) Re-engagement message: More than 24 hours have passed',
				httpCode: '400',
				code: 131047,
				retryable: false,
				response: body,
			},
		]);
	});

	it('On-Premise: the reply goes to /v1/messages in the legacy shape', async () => {
		const sim = simulator();
		const onPremise = NUMBERS.replyOnPremise;
		await sim.clearCaptures(CAPTURE_TAGS.replyOnPremise);
		const before = (await sim.sent({ apiKey: onPremise.apiKey })).length;
		await deliver(onPremise.apiKey, {
			contacts: [{ profile: { name: 'Kerry' }, wa_id: '16315551234' }],
			messages: [{ from: '16315551234', id: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf', timestamp: '1518694235', type: 'text', text: { body: 'Hello' } }],
		});
		const [execution] = await waitForExecutions(CAPTURE_TAGS.replyOnPremise, 1, { timeoutMs: 30000 });
		const sent = (await sim.sent({ apiKey: onPremise.apiKey })).slice(before);
		expect(sent.map((entry) => [entry.method, entry.path])).toEqual([['POST', '/v1/messages']]);
		expect(sent[0].body).toEqual({
			recipient_type: 'individual',
			to: '16315551234',
			type: 'text',
			text: { body: 'Thanks, Kerry! You wrote: Hello' },
			context: { message_id: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf' },
		});
		expect(sent[0].headers['d360-api-key']).toBe(onPremise.apiKey);
		expect(execution.items[0]).toMatchObject({ messageId: (sent[0].response as { messages: Array<{ id: string }> }).messages[0].id, replyTo: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf' });
	});
});

describe('360dialog Trigger (image) → 360dialog (Mark as Read) → 360dialog (Download Media)', () => {
	it('marks the message read with the typing indicator, then downloads exactly the served bytes', async () => {
		const sim = simulator();
		const number = NUMBERS.readDownload;
		await sim.clearCaptures(CAPTURE_TAGS.readDownload);
		await sim.clearCaptures(CAPTURE_TAGS.readDownloadFile);
		const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(40_000)]);
		const media = await sim.addMedia(number.apiKey, { id: '900000000000777', mimeType: 'image/jpeg', data: bytes });
		const before = (await sim.sent({ apiKey: number.apiKey })).length;
		const messageId = 'wamid.e2e-read-download-1';
		await deliver(
			number.apiKey,
			cloudInbound(
				number,
				{ from: '16505551234', id: messageId, type: 'image', image: { id: media.id, mime_type: 'image/jpeg', sha256: media.sha256 } },
				{ profile: { name: 'Ada' }, wa_id: '16505551234' },
			),
		);
		const [execution] = await waitForExecutions(CAPTURE_TAGS.readDownload, 1, { timeoutMs: 30000 });
		const [file] = await sim.waitForCaptures(CAPTURE_TAGS.readDownloadFile, { timeoutMs: 30000 });

		const sent = (await sim.sent({ apiKey: number.apiKey })).slice(before);
		expect(sent.map((entry) => entry.kind)).toEqual(['read']);
		expect(sent[0].body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: messageId, typing_indicator: { type: 'text' } });
		expect(sent[0].headers['d360-api-key']).toBe(number.apiKey);

		// The download came after the read, through the media object and the swapped lookaside URL.
		const gets = (await sim.requests({ method: 'GET' })).filter((request) => request.headers['d360-api-key'] === number.apiKey && request.path !== '/v1/configs/webhook');
		expect(gets.map((request) => request.path)).toEqual([`/${media.id}`, '/whatsapp_business/attachments']);
		expect(gets[0].seq).toBeGreaterThan(sent[0].seq);

		const received = Buffer.from(file.base64 ?? '', 'base64');
		expect(sha256(received)).toBe(sha256(bytes));
		expect(file.headers['x-mime-type']).toBe('image/jpeg');
		expect(file.headers['x-message-id']).toBe(messageId);
		expect(execution.items).toEqual([
			expect.objectContaining({ messageId, read: true, typingIndicator: true, mediaId: media.id, mimeType: 'image/jpeg', fileName: `${media.id}.jpg` }),
		]);
	});
});
