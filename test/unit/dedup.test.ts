import fc from 'fast-check';

import { createHash } from 'crypto';

import {
	contentHash,
	DEDUP_CONTENT_TTL_SECONDS,
	DEDUP_MAX_KEYS,
	DEDUP_MAX_NEW_KEYS_PER_REQUEST,
	DEDUP_TTL_SECONDS,
	dedupKey,
	digestOf,
	dropSeen,
	runKey,
	ttlOf,
	type DedupLimits,
	type SeenState,
} from '../../nodes/shared/core/dedup';
import { normalize } from '../../nodes/shared/core/normalize';
import type { NormalizedEvent } from '../../nodes/shared/core/schemas/normalized';
import {
	change,
	cloudEnvelope,
	echoValue,
	messagesValue,
	OTHER_PHONE_NUMBER_ID,
	partnerEvent,
	PHONE_NUMBER_ID,
	status,
	textMessage,
} from '../support/payloads';

const one = (body: unknown, includeRaw = false): NormalizedEvent => {
	const items = normalize(body, { includeRaw });
	expect(items).toHaveLength(1);
	return items[0];
};

const message = (id: string, phoneNumberId = PHONE_NUMBER_ID, text = 'hi') =>
	one(cloudEnvelope([change('messages', messagesValue({ messages: [textMessage(id, text)] }, phoneNumberId))]));
const statusEvent = (id: string, value: string) => one(cloudEnvelope([change('messages', messagesValue({ statuses: [status(id, value)] }))]));
const templateEvent = (event: string) =>
	one(cloudEnvelope([change('message_template_status_update', { event, message_template_id: 7, message_template_name: 'promo' })]));

describe('dedupKey', () => {
	it('keys a message by kind, phone number id and message id', () => {
		expect(dedupKey(message('wamid.1'))).toBe(`message:${PHONE_NUMBER_ID}:wamid.1`);
		// Not by content: a retried message is the same message.
		expect(dedupKey(message('wamid.1', PHONE_NUMBER_ID, 'other text'))).toBe(dedupKey(message('wamid.1')));
		expect(dedupKey(message('wamid.1', OTHER_PHONE_NUMBER_ID))).not.toBe(dedupKey(message('wamid.1')));
	});

	it('keys an echo apart from a message with the same id', () => {
		const echo = one(cloudEnvelope([change('smb_message_echoes', echoValue('wamid.1', 'from the app'))]));
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
			cloudEnvelope([change('message_template_status_update', { event: 'PAUSED', message_template_id: 7 })]),
			partnerEvent('channel_created', { id: 'chNEW' }),
			cloudEnvelope([change('messages', messagesValue({ messages: [textMessage('wamid.R', 'raw')] }))]),
		];
		for (const body of bodies) {
			const withRaw = one(body, true);
			expect(withRaw.raw).toBeDefined();
			expect(dedupKey(withRaw)).toBe(dedupKey(one(body, false)));
		}
	});
});

describe('dedup memory sizing', () => {
	it('keeps content-keyed events without id or timestamp only for a short window', () => {
		const onPremiseError = one({ errors: [{ code: 1014, title: 'Internal error' }] });
		expect(onPremiseError.id).toBeNull();
		expect(onPremiseError.timestamp).toBeNull();
		expect(dedupKey(onPremiseError)).toMatch(/^hash:/);
		expect(ttlOf(onPremiseError)).toBe(DEDUP_CONTENT_TTL_SECONDS);
		expect(DEDUP_CONTENT_TTL_SECONDS).toBeLessThan(DEDUP_TTL_SECONDS / 24);
		// With the entry's time, a genuine recurrence has another time, so a day is safe.
		const timed = { ...templateEvent('APPROVED'), timestamp: '2024-06-03T16:00:00.000Z' } as NormalizedEvent;
		expect(dedupKey(timed)).toMatch(/^hash:/);
		expect(ttlOf(timed)).toBe(DEDUP_TTL_SECONDS);
		expect(ttlOf(message('wamid.1'))).toBe(DEDUP_TTL_SECONDS);
	});

	it('passes the same content again once the short window is over', () => {
		const error = one({ errors: [{ code: 1014, title: 'Internal error' }] });
		const seen: SeenState = {};
		expect(dropSeen([error], seen, NOW).fresh).toHaveLength(1);
		expect(dropSeen([error], seen, NOW + DEDUP_CONTENT_TTL_SECONDS - 1).fresh).toHaveLength(0);
		expect(dropSeen([error], seen, NOW + DEDUP_CONTENT_TTL_SECONDS).fresh).toHaveLength(1);
	});

	it('stores a 16-character digest per key, about 30 bytes of static data each', () => {
		const seen: SeenState = {};
		const events = Array.from({ length: 500 }, (_, index) => statusEvent(`wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQ${index}`, 'delivered'));
		dropSeen(events, seen, NOW);
		expect(Object.keys(seen).every((digest) => /^[A-Za-z0-9_-]{16}$/.test(digest))).toBe(true);
		const bytesPerKey = JSON.stringify(seen).length / 500;
		expect(bytesPerKey).toBeLessThanOrEqual(31);
		// The documented bound on the static data the memory takes.
		expect(DEDUP_MAX_KEYS * bytesPerKey).toBeLessThanOrEqual(310_000);
	});

	it('lets one request add at most DEDUP_MAX_NEW_KEYS_PER_REQUEST keys, so it cannot flush the memory', () => {
		const seen: SeenState = {};
		const real = Array.from({ length: 50 }, (_, index) => statusEvent(`real${index}`, 'read'));
		dropSeen(real, seen, NOW);
		const flood = Array.from({ length: DEDUP_MAX_KEYS }, (_, index) => statusEvent(`fake${index}`, 'sent'));
		const { fresh } = dropSeen(flood, seen, NOW + 1);
		// Delivered whole: the cap is on what is remembered, never on what passes.
		expect(fresh).toHaveLength(DEDUP_MAX_KEYS);
		expect(Object.keys(seen)).toHaveLength(50 + DEDUP_MAX_NEW_KEYS_PER_REQUEST);
		// Every real key survived the flood: their redeliveries are still dropped.
		expect(dropSeen(real, seen, NOW + 2).fresh).toHaveLength(0);
	});

	it('keys group statuses per participant, so each participant\'s status passes', () => {
		const groupStatus = (participant: string) =>
			one(cloudEnvelope([change('messages', messagesValue({ statuses: [{ ...status('wamid.G1', 'read'), recipient_type: 'group', recipient_id: '120363@g.us', recipient_participant_id: participant }] }))]));
		const first = groupStatus('16505550001');
		const second = groupStatus('16505550002');
		expect(first.kind === 'status' && first.recipientParticipantId).toBe('16505550001');
		expect(first.kind === 'status' && first.recipientType).toBe('group');
		expect(dedupKey(first)).not.toBe(dedupKey(second));
		expect(dropSeen([first, second, groupStatus('16505550001')], {}, NOW).fresh).toEqual([first, second]);
	});

	it('hashes content nested far deeper than JSON.stringify can go', () => {
		let deep: unknown = 'bottom';
		for (let level = 0; level < 20_000; level++) deep = { level: deep };
		const event = { ...templateEvent('APPROVED'), value: deep } as NormalizedEvent;
		expect(() => JSON.stringify(event)).toThrow(RangeError);
		expect(dedupKey(event)).toMatch(/^hash:/);
		let other: unknown = 'other bottom';
		for (let level = 0; level < 20_000; level++) other = { level: other };
		expect(dedupKey({ ...event, value: other } as NormalizedEvent)).not.toBe(dedupKey(event));
	});

	it('hashes like JSON.stringify where that works', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const event = { kind: 'change', value, raw: 'ignored' } as unknown as NormalizedEvent;
				const expected = createHash('sha1').update(JSON.stringify({ ...event, raw: undefined })).digest('base64');
				expect(contentHash(event)).toBe(expected);
			}),
		);
	});
});

const NOW = 1_717_430_400;
const digest = (event: NormalizedEvent): string => digestOf(dedupKey(event));
const limits = (maxKeys: number): DedupLimits => ({ maxKeys, maxNewKeys: maxKeys });

describe('dropSeen', () => {
	it('keeps unseen events, records their digests with the TTL and reports a change', () => {
		const seen: SeenState = {};
		const events = [message('wamid.1'), statusEvent('wamid.1', 'sent')];

		const { fresh, changed } = dropSeen(events, seen, NOW);

		expect(fresh).toEqual(events);
		expect(changed).toBe(true);
		expect(seen).toEqual({
			[digest(events[0])]: NOW + DEDUP_TTL_SECONDS,
			[digest(events[1])]: NOW + DEDUP_TTL_SECONDS,
		});
	});

	it('drops events seen before and within the same batch', () => {
		const seen: SeenState = { [digest(statusEvent('wamid.1', 'sent'))]: NOW + 10 };
		const { fresh } = dropSeen([statusEvent('wamid.1', 'sent'), message('wamid.2'), message('wamid.2')], seen, NOW);
		expect(fresh.map(dedupKey)).toEqual([`message:${PHONE_NUMBER_ID}:wamid.2`]);
	});

	it('reports no change when everything was seen and nothing expired', () => {
		const seen: SeenState = { [digest(statusEvent('wamid.1', 'sent'))]: NOW + 10 };
		const before = { ...seen };
		const { fresh, changed } = dropSeen([statusEvent('wamid.1', 'sent')], seen, NOW);
		expect(fresh).toEqual([]);
		expect(changed).toBe(false);
		expect(seen).toEqual(before);
	});

	it('forgets keys whose expiry has come, so the event passes again', () => {
		const [one1, two] = [statusEvent('wamid.1', 'sent'), statusEvent('wamid.2', 'sent')];
		const seen: SeenState = { [digest(one1)]: NOW, [digest(two)]: NOW + 1 };
		const { fresh, changed } = dropSeen([one1, two], seen, NOW);
		expect(fresh).toEqual([one1]);
		expect(changed).toBe(true);
		expect(seen).toEqual({ [digest(two)]: NOW + 1, [digest(one1)]: NOW + DEDUP_TTL_SECONDS });
	});

	it('reports a change when only expired keys were removed, and drops values that are not numbers', () => {
		const seen = { old: NOW - 1, broken: 'x' } as unknown as SeenState;
		const { fresh, changed } = dropSeen([], seen, NOW);
		expect(fresh).toEqual([]);
		expect(changed).toBe(true);
		expect(seen).toEqual({});
	});

	it('treats a key named like an Object.prototype member as data', () => {
		const seen = JSON.parse('{"__proto__": 99999999999, "constructor": 99999999999}') as SeenState;
		expect(dropSeen([message('wamid.P')], seen, NOW).fresh).toHaveLength(1);
	});

	it('evicts the oldest keys first when over the cap', () => {
		const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => statusEvent(id, 'sent'));
		const seen: SeenState = {};
		dropSeen([a, b], seen, NOW, limits(3));
		dropSeen([c, d], seen, NOW + 1, limits(3));
		expect(Object.keys(seen)).toEqual([b, c, d].map(digest));
		// The evicted key is forgotten: its event passes again, and evicts the next oldest.
		const { fresh } = dropSeen([a], seen, NOW + 2, limits(3));
		expect(fresh).toHaveLength(1);
		expect(Object.keys(seen)).toEqual([c, d, a].map(digest));
	});

	it(`has a cap of ${DEDUP_MAX_KEYS} keys by default`, () => {
		const seen: SeenState = {};
		for (let i = 0; i < DEDUP_MAX_KEYS + 5; i++) seen[`k${i}`] = NOW + 100;
		dropSeen([], seen, NOW);
		expect(Object.keys(seen)).toHaveLength(DEDUP_MAX_KEYS);
		expect(Object.keys(seen)[0]).toBe('k5');
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
						dropSeen(batch.map(event), seen, NOW + index, limits(cap));
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

describe('runKey, the key of n8n\'s processed-data check', () => {
	it('is the dedup key for events with an id or a time, and names the 10-minute window for content-keyed ones', () => {
		const NOW = 1_717_430_400;
		const withId = message('wamid.K1');
		expect(runKey(withId, NOW)).toBe(dedupKey(withId));
		expect(runKey(withId, NOW + DEDUP_TTL_SECONDS * 3)).toBe(dedupKey(withId));
		const contentOnly = one({ errors: [{ code: 1014, title: 'Internal error' }] });
		const window = Math.floor(NOW / DEDUP_CONTENT_TTL_SECONDS);
		expect(runKey(contentOnly, NOW)).toBe(`${dedupKey(contentOnly)}@${window}`);
		// A redelivery in the same window has the same key; the same error an hour later does not.
		expect(runKey(contentOnly, window * DEDUP_CONTENT_TTL_SECONDS + DEDUP_CONTENT_TTL_SECONDS - 1)).toBe(runKey(contentOnly, NOW));
		expect(runKey(contentOnly, NOW + 3600)).not.toBe(runKey(contentOnly, NOW));
	});
});
