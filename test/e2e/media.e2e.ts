/**
 * Download Media in the 360dialog Trigger inside a real n8n: the simulator serves the bytes, the
 * workflow sends the item's binary to a capture as the raw request body, and the bytes, MIME type
 * and file name must be exactly what was served. Cloud API (media object, then the lookaside URL
 * with its host swapped for the credential's base URL) and On-Premise (/v1/media/{id}).
 */
import { createHash, randomBytes } from 'node:crypto';

import { normalize } from '../../index';
import { simulator, viaJson, waitForExecutions } from './harness';
import { cloudMessages, onPremiseBody } from '../support/payloads';
import { E2E_SENDER, NUMBERS } from './fixtures';
import { CAPTURE_TAGS } from './workflows';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function cloudImageMessage(messageId: string, mediaId: string, mimeType: string) {
	const message = { from: E2E_SENDER.waId, id: messageId, timestamp: '1750031410', type: 'image', image: { mime_type: mimeType, sha256: 'not-checked', id: mediaId } };
	return cloudMessages({ messages: [message] }, NUMBERS.mediaCloud, E2E_SENDER);
}

function onPremiseVoiceMessage(messageId: string, mediaId: string, mimeType: string) {
	const message = { from: E2E_SENDER.waId, id: messageId, timestamp: '1750031410', type: 'voice', voice: { id: mediaId, mime_type: mimeType, sha256: 'not-checked' } };
	return onPremiseBody({ messages: [message] }, E2E_SENDER);
}

/** A JPEG-ish header and random bytes, including every byte value that breaks text encodings. */
function testBytes(size: number): Buffer {
	const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
	return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), all, randomBytes(size)]);
}

describe('Download Media through the trigger', () => {
	it('Cloud API: the image arrives with exactly the served bytes and MIME type', async () => {
		const sim = simulator();
		const apiKey = NUMBERS.mediaCloud.apiKey;
		await sim.clearCaptures(CAPTURE_TAGS.mediaCloud);
		await sim.clearCaptures(CAPTURE_TAGS.mediaCloudFile);
		const bytes = testBytes(150_000);
		const media = await sim.addMedia(apiKey, {
			id: '900000000000123',
			mimeType: 'image/jpeg',
			data: bytes,
		});
		expect(media.sha256).toBe(sha256(bytes));
		const messageId = 'wamid.e2e-media-cloud-1';
		const payload = cloudImageMessage(messageId, media.id, 'image/jpeg');

		const outcome = await sim.deliverMessaging(apiKey, payload, { retries: 0 });
		expect(outcome.main.attempts[0].status).toBe(200);

		const [execution] = await waitForExecutions(CAPTURE_TAGS.mediaCloud, 1, { timeoutMs: 30000 });
		// Download succeeded: the item is normalize()'s, with no mediaError.
		expect(execution.items).toEqual(viaJson(normalize(payload)));
		const [file] = await sim.waitForCaptures(CAPTURE_TAGS.mediaCloudFile, { timeoutMs: 30000 });
		const received = Buffer.from(file.base64 ?? '', 'base64');
		expect(received.length).toBe(bytes.length);
		expect(sha256(received)).toBe(sha256(bytes));
		expect(file.headers['content-type']).toBe('image/jpeg');
		expect(file.headers['x-mime-type']).toBe('image/jpeg');
		expect(file.headers['x-message-id']).toBe(messageId);
		expect(file.headers['x-file-name']).toBe(`${messageId}.jpg`);

		// The node asked for the media object, then fetched the lookaside path on the simulator.
		const calls = (await sim.requests({ method: 'GET' })).filter(
			(request) =>
				request.headers['d360-api-key'] === apiKey && request.path !== '/v1/configs/webhook',
		);
		expect(calls.map((call) => call.path)).toEqual([
			`/${media.id}`,
			'/whatsapp_business/attachments',
		]);
		expect(calls[1].query).toBe(new URL(media.url).search);
	});

	it('On-Premise: the voice note arrives from /v1/media/{id} with the served bytes and type', async () => {
		const sim = simulator();
		const apiKey = NUMBERS.mediaOnPremise.apiKey;
		await sim.clearCaptures(CAPTURE_TAGS.mediaOnPremise);
		await sim.clearCaptures(CAPTURE_TAGS.mediaOnPremiseFile);
		const bytes = testBytes(60_000);
		const media = await sim.addMedia(apiKey, { mimeType: 'audio/ogg', data: bytes });
		const messageId = 'gBGGFlA5FpafAgkOuJbRq54qwbM';
		const payload = onPremiseVoiceMessage(messageId, media.id, 'audio/ogg; codecs=opus');

		const outcome = await sim.deliverMessaging(apiKey, payload, { retries: 0 });
		expect(outcome.main.attempts[0].status).toBe(200);

		const [execution] = await waitForExecutions(CAPTURE_TAGS.mediaOnPremise, 1, {
			timeoutMs: 30000,
		});
		expect(execution.items).toEqual(viaJson(normalize(payload)));
		const [file] = await sim.waitForCaptures(CAPTURE_TAGS.mediaOnPremiseFile, {
			timeoutMs: 30000,
		});
		const received = Buffer.from(file.base64 ?? '', 'base64');
		expect(sha256(received)).toBe(sha256(bytes));
		expect(received.length).toBe(bytes.length);
		// On-Premise: the served Content-Type wins over the payload's mime_type.
		expect(file.headers['content-type']).toBe('audio/ogg');
		expect(file.headers['x-mime-type']).toBe('audio/ogg');
		expect(file.headers['x-file-name']).toBe(`${messageId}.ogg`);

		const calls = (await sim.requests({ method: 'GET' })).filter(
			(request) =>
				request.headers['d360-api-key'] === apiKey && request.path !== '/v1/configs/webhook',
		);
		expect(calls.map((call) => call.path)).toEqual([`/v1/media/${media.id}`]);
	});
});
