import { readFileSync } from 'fs';
import { resolve } from 'path';

import { normalize, NormalizedEventSchema } from '../../index';
import { WHATSAPP_ERRORS } from '../../nodes/shared/core/errorCatalog';
import { cloudMessages, DOCS_NUMBER } from '../support/payloads';

const payload = (format: 'cloud' | 'onprem', name: string): unknown =>
	(JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', format, `${name}.json`), 'utf8')) as { payload: unknown }).payload;

/** A Cloud messages change carrying the given value lists. */
const cloud = (value: Record<string, unknown>) => cloudMessages(value, DOCS_NUMBER, null);

describe('fields that make replying correct', () => {
	it('an inbound message says when its 24-hour window closes and which conversation it belongs to', () => {
		const [message] = normalize(payload('cloud', 'message-text'));
		expect(message).toMatchObject({
			timestamp: '2025-06-08T20:59:43.000Z',
			windowExpiresAt: '2025-06-09T20:59:43.000Z',
			conversationKey: '106540352242922:16505551234',
		});
		expect(NormalizedEventSchema.parse(message)).toEqual(message);
	});

	it('On-Premise names no business number: the key is the customer alone', () => {
		const [message] = normalize(payload('onprem', 'message-text'));
		expect(message).toMatchObject({ windowExpiresAt: '2025-06-09T20:59:43.000Z', conversationKey: '16505551234' });
	});

	it('a sender known only by user id keys the conversation by it', () => {
		const [message] = normalize(cloud({ messages: [{ from_user_id: 'US.1349120865530', id: 'wamid.U', timestamp: '1750000000', type: 'text', text: { body: 'hi' } }] }));
		expect(message).toMatchObject({ from: null, fromUserId: 'US.1349120865530', conversationKey: '106540352242922:US.1349120865530' });
	});

	it('system messages, echoes and messages without a time open no window', () => {
		const [system] = normalize(payload('cloud', 'message-system-user-changed-number'));
		expect(system).toMatchObject({ type: 'system', windowExpiresAt: null });
		const [echo] = normalize(payload('cloud', 'smb-message-echoes'));
		expect(echo).toMatchObject({ kind: 'echo', windowExpiresAt: null, conversationKey: '106540352242922:16505551234' });
		const [timeless] = normalize(cloud({ messages: [{ from: '4915112345678', id: 'wamid.T', type: 'text', text: { body: 'x' } }] }));
		expect(timeless).toMatchObject({ timestamp: null, windowExpiresAt: null, conversationKey: '106540352242922:4915112345678' });
	});

	it('a failed status says what its error means and whether a retry can succeed, from the error table', () => {
		const [failed] = normalize(payload('cloud', 'status-failed'));
		const row = WHATSAPP_ERRORS.find((entry) => entry.code === 131049);
		expect(failed).toMatchObject({ status: 'failed', errorMeaning: row?.meaning, retryable: false });
		const [window] = normalize(payload('onprem', 'status-failed-470'));
		expect(window).toMatchObject({ errorMeaning: expect.stringMatching(/window is closed/), retryable: false });
		const [throttled] = normalize(cloud({ statuses: [{ id: 'wamid.X', status: 'failed', timestamp: '1750000000', recipient_id: '1', errors: [{ code: 130429, title: 'Rate limit hit' }] }] }));
		expect(throttled).toMatchObject({ retryable: true });
		const [unknownCode] = normalize(cloud({ statuses: [{ id: 'wamid.Y', status: 'failed', timestamp: '1750000000', errors: [{ code: 4242 }] }] }));
		expect(unknownCode).toMatchObject({ errorMeaning: null, retryable: null });
		const [sent] = normalize(payload('cloud', 'status-sent'));
		expect(sent).toMatchObject({ errorMeaning: null, retryable: null });
		expect(NormalizedEventSchema.parse(failed)).toEqual(failed);
	});
});
