import fc from 'fast-check';

import { DEDUP_MAX_KEYS, DEDUP_TTL_SECONDS, dedupKey, dropSeen, type SeenState } from '../../nodes/shared/dedup';
import { normalize } from '../../nodes/shared/normalize';
import type { NormalizedEvent } from '../../nodes/shared/schemas/normalized';
import {
	change,
	cloudBody,
	echoValue,
	messagesValue,
	OTHER_PHONE_NUMBER_ID,
	partnerEvent,
	PHONE_NUMBER_ID,
	status,
	textMessage,
} from '../support/trigger-fixtures';

const one = (body: unknown, includeRaw = false): NormalizedEvent => {
	const items = normalize(body, { includeRaw });
	expect(items).toHaveLength(1);
	return items[0];
};

const message = (id: string, phoneNumberId = PHONE_NUMBER_ID, text = 'hi') =>
	one(cloudBody([change('messages', messagesValue({ messages: [textMessage(id, text)] }, phoneNumberId))]));
const statusEvent = (id: string, value: string) => one(cloudBody([change('messages', messagesValue({ statuses: [status(id, value)] }))]));
const templateEvent = (event: string) =>
	one(cloudBody([change('message_template_status_update', { event, message_template_id: 7, message_template_name: 'promo' })]));

describe('dedupKey', () => {
	it('keys a message by kind, phone number id and message id', () => {
		expect(dedupKey(message('wamid.1'))).toBe(`message:${PHONE_NUMBER_ID}:wamid.1`);
		// Not by content: a retried message is the same message.
		expect(dedupKey(message('wamid.1', PHONE_NUMBER_ID, 'other text'))).toBe(dedupKey(message('wamid.1')));
		expect(dedupKey(message('wamid.1', OTHER_PHONE_NUMBER_ID))).not.toBe(dedupKey(message('wamid.1')));
	});

	it('keys an echo apart from a message with the same id', () => {
		const echo = one(cloudBody([change('smb_message_echoes', echoValue('wamid.1', 'from the app'))]));
		expect(echo.kind).toBe('echo');
		expect(dedupKey(echo)).toBe(`echo:${PHONE_NUMBER_ID}:wamid.1`);
	});

	it('keys an On-Premise message with an empty phone number id', () => {
		const onPremise = one({ messages: [textMessage('ABGG1', 'hi')] });
		expect(dedupKey(onPremise)).toBe('message::ABGG1');
	});

	it('keys a status by message id and status value, so each step of a message passes once', () => {
		expect(dedupKey(statusEvent('wamid.9', 'sent'))).toBe('status:wamid.9:sent');
		expect(dedupKey(statusEvent('wamid.9', 'delivered'))).toBe('status:wamid.9:delivered');
	});

	it('keys a partner event by its id', () => {
		expect(dedupKey(one(partnerEvent('channel_live', { id: 'ch1' }, 'evt_1')))).toBe('partner:evt_1');
		expect(dedupKey(one(partnerEvent('channel_ready', { id: 'ch2' }, 'evt_1')))).toBe('partner:evt_1');
	});

	it('hashes the content of events without an id', () => {
		const approved = dedupKey(templateEvent('APPROVED'));
		expect(approved).toMatch(/^hash:[A-Za-z0-9+/]{27}=$/);
		expect(dedupKey(templateEvent('APPROVED'))).toBe(approved);
		expect(dedupKey(templateEvent('REJECTED'))).not.toBe(approved);
		const withoutId = partnerEvent('channel_created', { id: 'chNEW' });
		expect(dedupKey(one(withoutId))).toMatch(/^hash:/);
		expect(dedupKey(one(withoutId))).not.toBe(dedupKey(one(partnerEvent('channel_created', { id: 'chOLD' }))));
	});

	it('does not change with Include Raw Payload', () => {
		const bodies = [
			cloudBody([change('message_template_status_update', { event: 'PAUSED', message_template_id: 7 })]),
			partnerEvent('channel_created', { id: 'chNEW' }),
			cloudBody([change('messages', messagesValue({ messages: [textMessage('wamid.R', 'raw')] }))]),
		];
		for (const body of bodies) {
			const withRaw = one(body, true);
			expect(withRaw.raw).toBeDefined();
			expect(dedupKey(withRaw)).toBe(dedupKey(one(body, false)));
		}
	});
});

describe('dropSeen', () => {
	const NOW = 1_717_430_400;

	it('keeps unseen events, records them with the TTL and reports a change', () => {
		const seen: SeenState = {};
		const events = [message('wamid.1'), statusEvent('wamid.1', 'sent')];

		const { fresh, changed } = dropSeen(events, seen, NOW);

		expect(fresh).toEqual(events);
		expect(changed).toBe(true);
		expect(seen).toEqual({
			[`message:${PHONE_NUMBER_ID}:wamid.1`]: NOW + DEDUP_TTL_SECONDS,
			'status:wamid.1:sent': NOW + DEDUP_TTL_SECONDS,
		});
	});

	it('drops events seen before and within the same batch', () => {
		const seen: SeenState = { 'status:wamid.1:sent': NOW + 10 };
		const { fresh } = dropSeen([statusEvent('wamid.1', 'sent'), message('wamid.2'), message('wamid.2')], seen, NOW);
		expect(fresh.map(dedupKey)).toEqual([`message:${PHONE_NUMBER_ID}:wamid.2`]);
	});

	it('reports no change when everything was seen and nothing expired', () => {
		const seen: SeenState = { 'status:wamid.1:sent': NOW + 10 };
		const { fresh, changed } = dropSeen([statusEvent('wamid.1', 'sent')], seen, NOW);
		expect(fresh).toEqual([]);
		expect(changed).toBe(false);
		expect(seen).toEqual({ 'status:wamid.1:sent': NOW + 10 });
	});

	it('forgets keys whose expiry has come, so the event passes again', () => {
		const seen: SeenState = { 'status:wamid.1:sent': NOW, 'status:wamid.2:sent': NOW + 1 };
		const { fresh, changed } = dropSeen([statusEvent('wamid.1', 'sent'), statusEvent('wamid.2', 'sent')], seen, NOW);
		expect(fresh.map(dedupKey)).toEqual(['status:wamid.1:sent']);
		expect(changed).toBe(true);
		expect(seen).toEqual({ 'status:wamid.2:sent': NOW + 1, 'status:wamid.1:sent': NOW + DEDUP_TTL_SECONDS });
	});

	it('reports a change when only expired keys were removed', () => {
		const seen: SeenState = { old: NOW - 1 };
		const { fresh, changed } = dropSeen([], seen, NOW);
		expect(fresh).toEqual([]);
		expect(changed).toBe(true);
		expect(seen).toEqual({});
	});

	it('uses the given TTL', () => {
		const seen: SeenState = {};
		dropSeen([message('wamid.1')], seen, NOW, 60);
		expect(seen[`message:${PHONE_NUMBER_ID}:wamid.1`]).toBe(NOW + 60);
		// 60 seconds later the key has expired and the message passes again.
		expect(dropSeen([message('wamid.1')], seen, NOW + 60).fresh).toHaveLength(1);
	});

	it('evicts the oldest keys first when over the cap', () => {
		const seen: SeenState = {};
		dropSeen([statusEvent('a', 'sent'), statusEvent('b', 'sent')], seen, NOW, 100, 3);
		dropSeen([statusEvent('c', 'sent'), statusEvent('d', 'sent')], seen, NOW + 1, 100, 3);
		expect(Object.keys(seen)).toEqual(['status:b:sent', 'status:c:sent', 'status:d:sent']);
		// The evicted key is forgotten: its event passes again, and evicts the next oldest.
		const { fresh } = dropSeen([statusEvent('a', 'sent')], seen, NOW + 2, 100, 3);
		expect(fresh).toHaveLength(1);
		expect(Object.keys(seen)).toEqual(['status:c:sent', 'status:d:sent', 'status:a:sent']);
	});

	it('has a cap of 2000 keys by default', () => {
		expect(DEDUP_MAX_KEYS).toBe(2000);
		const seen: SeenState = {};
		for (let i = 0; i < 2005; i++) seen[`status:m${i}:sent`] = NOW + 100;
		dropSeen([], seen, NOW);
		expect(Object.keys(seen)).toHaveLength(2000);
		expect(Object.keys(seen)[0]).toBe('status:m5:sent');
	});

	describe('properties', () => {
		const MESSAGE_IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
		const VALUES = ['sent', 'delivered', 'read'];
		// Normalized once: the properties are about dropSeen, not the normalizer.
		const events = new Map(MESSAGE_IDS.flatMap((id) => VALUES.map((value) => [`${id}/${value}`, statusEvent(id, value)] as const)));
		const event = ([id, value]: [string, string]) => events.get(`${id}/${value}`) as NormalizedEvent;
		const ids = fc.array(fc.tuple(fc.constantFrom(...MESSAGE_IDS), fc.constantFrom(...VALUES)), { maxLength: 30 });

		it('never keeps more keys than the cap', () => {
			fc.assert(
				fc.property(fc.array(ids, { maxLength: 6 }), fc.integer({ min: 1, max: 8 }), (batches, cap) => {
					const seen: SeenState = {};
					return batches.every((batch, index) => {
						dropSeen(batch.map(event), seen, NOW + index, 1000, cap);
						return Object.keys(seen).length <= cap;
					});
				}),
			);
		});

		it('passes each key at most once while it is remembered, and every new key once', () => {
			fc.assert(
				fc.property(fc.array(ids, { maxLength: 6 }), (batches) => {
					const seen: SeenState = {};
					const passed: string[] = [];
					for (const [index, batch] of batches.entries()) {
						const { fresh, changed } = dropSeen(batch.map(event), seen, NOW + index);
						passed.push(...fresh.map(dedupKey));
						if (changed !== fresh.length > 0) return false;
					}
					const all = new Set(batches.flat().map(([id, value]) => `status:${id}:${value}`));
					return passed.length === all.size && new Set(passed).size === passed.length;
				}),
			);
		});
	});
});
