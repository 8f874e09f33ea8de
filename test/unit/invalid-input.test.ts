import fc from 'fast-check';

import {
	InvalidPayloadError,
	normalize,
	NormalizedEventSchema,
	type NormalizedEvent,
	type NormalizeOptions,
	type UnknownEvent,
	MAX_EVENTS_PER_BODY,
} from '../../index';
import { change, cloudEnvelope, DOCS_CUSTOMER, DOCS_NUMBER, messagesValue, textMessage } from '../support/payloads';
import { boundedJson, CUT_MARKER, limitDepth, nestedDeeperThan } from '../../nodes/shared/core/normalize/read';

/** Runs normalize and returns what it threw; fails when it threw nothing. */
function thrown(payload: unknown, options?: NormalizeOptions): unknown {
	try {
		normalize(payload, options);
	} catch (error) {
		return error;
	}
	throw new Error('normalize did not throw');
}

/** The InvalidPayloadError normalize raises for `payload`, checked for the parts every such error has. */
function invalid(payload: unknown, options?: NormalizeOptions): InvalidPayloadError {
	const error = thrown(payload, options);
	expect(error).toBeInstanceOf(InvalidPayloadError);
	const invalidPayload = error as InvalidPayloadError;
	expect(invalidPayload.name).toBe('InvalidPayloadError');
	expect(invalidPayload.reason.length).toBeGreaterThan(10);
	expect(invalidPayload.hint.length).toBeGreaterThan(10);
	expect(invalidPayload.message).toBe(`${invalidPayload.reason} (at ${invalidPayload.path})`);
	return invalidPayload;
}

/** Reads the JSON path `$.a[0].b` in a value. */
function valueAt(root: unknown, path: string): unknown {
	let node = root;
	for (const [, key, index] of path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
		if (typeof node !== 'object' || node === null) return undefined;
		node = (node as Record<string, unknown>)[key ?? index];
	}
	return node;
}

/**
 * The one `unknown` item normalize made for a bad element, checked for what every such item carries:
 * the reason, the JSON path, and the element itself (the value at the path, or the element that
 * holds the bad field the path names).
 */
function malformed(payload: unknown, options?: NormalizeOptions): { path: string; reason: string; items: NormalizedEvent[] } {
	const items = normalize(payload, options);
	const bad = items.filter((item): item is UnknownEvent => item.kind === 'unknown' && item.problem !== null);
	expect(bad).toHaveLength(1);
	const [item] = bad;
	expect(NormalizedEventSchema.parse(item)).toBeDefined();
	expect(item).toMatchObject({ event: 'unknown', field: null });
	const path = item.path as string;
	const reason = item.problem as string;
	expect(path).toMatch(/^\$/);
	expect(reason.length).toBeGreaterThan(10);
	const parent = path.replace(/(\.[^.[]+|\[\d+\])$/, '');
	expect([valueAt(payload, path), valueAt(payload, parent)]).toContainEqual(item.value);
	return { path, reason, items };
}

const METADATA = { display_phone_number: DOCS_NUMBER.displayPhoneNumber, phone_number_id: DOCS_NUMBER.phoneNumberId };
const TEXT = textMessage('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'Hi', DOCS_CUSTOMER.waId, '1749416383');
const cloud = (value: Record<string, unknown>, field = 'messages') => cloudEnvelope([change(field, messagesValue(value, { ...DOCS_NUMBER, contact: null }))]);
const CHANNEL_LIVE = { id: 'c0d2e4f6-8a1b-4c3d-9e5f-7a6b8c0d2e65', event: 'channel_live', data: { id: 'fGk2nP7xCH', status: 'ready' } };

describe('bad input raises InvalidPayloadError', () => {
	it.each([
		['null', null, /must be a JSON object, got null/],
		['a number', 42, /must be a JSON object, got a number/],
		['a boolean', true, /must be a JSON object, got a boolean/],
		['undefined', undefined, /must be a JSON object, got nothing/],
	])('for a body that is %s', (_name, payload, reason) => {
		const error = invalid(payload);
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(reason);
	});

	it('for text that is not JSON', () => {
		const error = invalid('hello, this is not JSON');
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(/^The body is not valid JSON: /);
	});

	it('for JSON text cut off in the middle', () => {
		const error = invalid('{"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [');
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(/not valid JSON/);
		expect(error.hint).toMatch(/cut or changed/);
	});

	it('for a list of things that are not events', () => {
		for (const payload of [[1, 2, 3], ['channel_live'], [null]]) {
			const error = invalid(payload);
			expect(error.path).toBe('$');
			expect(error.reason).toMatch(/not a 360dialog webhook/);
		}
	});

	it('not for an empty list: a Partner Hub batch with no events gives no items', () => {
		expect(normalize([])).toEqual([]);
	});

	it.each([
		['a Facebook Page webhook', { object: 'page', entry: [] }],
		['an Instagram webhook', { object: 'instagram', entry: [{ id: '17841400000000000', changes: [] }] }],
		['an empty object', {}],
		['an unrelated object', { hello: 'world' }],
	])('for %s', (_name, payload) => {
		const error = invalid(payload);
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(/not a 360dialog webhook/);
		expect(error.reason).toMatch(/whatsapp_business_account/);
		expect(error.hint).toMatch(/body/);
	});

	it('for a Cloud body forced to the partner format', () => {
		const error = invalid(cloud({ contacts: [], messages: [TEXT] }), { format: 'partner' });
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(/^Expected a Partner Hub event .* but the body looks like a Cloud API payload/);
		expect(error.hint).toMatch(/Auto-Detect/);
	});

	it('for a partner event forced to the Cloud format', () => {
		const error = invalid(CHANNEL_LIVE, { format: 'cloud' });
		expect(error.path).toBe('$');
		expect(error.reason).toMatch(/^Expected a Cloud API payload .* but the body looks like a Partner Hub event/);
	});

	it('and never any other error type', () => {
		const bad: unknown[] = [null, 7, '{', [1], {}, { object: 'page', entry: [] }, [null]];
		for (const payload of bad) expect(thrown(payload)).toBeInstanceOf(InvalidPayloadError);
	});
});

describe('a bad element becomes an unknown item with its path and the reason; its siblings are read', () => {
	it('keeps a partner list with one element that is not an event, naming that element', () => {
		const error = malformed([CHANNEL_LIVE, 'channel_ready']);
		expect(error.path).toBe('$[1]');
		expect(error.reason).toMatch(/partner event must be an object, got the string "channel_ready"/);
	});


	it('keeps an entry that is not a list', () => {
		const error = malformed({ object: 'whatsapp_business_account', entry: { id: '102290129340398', changes: [] } });
		expect(error.path).toBe('$.entry');
		expect(error.reason).toBe('`entry` must be a list, got an object');
	});

	it('keeps an entry element that is not an object', () => {
		const error = malformed({ object: 'whatsapp_business_account', entry: ['102290129340398'] });
		expect(error.path).toBe('$.entry[0]');
		expect(error.reason).toBe('`entry` must hold objects, got the string "102290129340398"');
	});

	it('keeps changes that are not a list', () => {
		const error = malformed({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: 'messages' }] });
		expect(error.path).toBe('$.entry[0].changes');
		expect(error.reason).toMatch(/`changes` must be a list, got the string "messages"/);
	});

	it('keeps a change without value', () => {
		const payload = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [] }, { id: '102290129340398', changes: [{ field: 'messages' }] }] };
		const error = malformed(payload);
		expect(error.path).toBe('$.entry[1].changes[0].value');
		expect(error.reason).toBe('`value` must be an object, got nothing');
	});

	it('keeps a change value that is a string', () => {
		const error = malformed({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'security', value: 'PIN_RESET_REQUEST' }] }] });
		expect(error.path).toBe('$.entry[0].changes[0].value');
		expect(error.reason).toMatch(/got the string "PIN_RESET_REQUEST"/);
	});

	it('keeps messages that are an object instead of a list', () => {
		const error = malformed(cloud({ contacts: [], messages: TEXT }));
		expect(error.path).toBe('$.entry[0].changes[0].value.messages');
		expect(error.reason).toBe('`messages` must be a list, got an object');
	});

	it('keeps a message that is a string', () => {
		const error = malformed(cloud({ messages: [TEXT, 'Hi there'] }));
		expect(error.path).toBe('$.entry[0].changes[0].value.messages[1]');
		expect(error.reason).toBe('`messages` must hold objects, got the string "Hi there"');
	});

	it('keeps statuses and errors that are not lists of objects', () => {
		expect(malformed(cloud({ statuses: { id: 'wamid.X', status: 'sent' } })).path).toBe('$.entry[0].changes[0].value.statuses');
		expect(malformed(cloud({ errors: [42] })).path).toBe('$.entry[0].changes[0].value.errors[0]');
	});

	it('keeps a split list of a known change field that is not a list', () => {
		const error = malformed(cloud({ user_preferences: { wa_id: '16505551234', value: 'stop' } }, 'user_preferences'));
		expect(error.path).toBe('$.entry[0].changes[0].value.user_preferences');
	});

	it('keeps On-Premise lists that are not lists of objects', () => {
		expect(malformed({ messages: 'hello' }).path).toBe('$.messages');
		expect(malformed({ contacts: [], statuses: [null] }).path).toBe('$.statuses[0]');
		expect(malformed({ errors: [{ code: 1014 }, 'Internal error'] }).path).toBe('$.errors[1]');
	});

	it('keeps a partner event whose event name is a number', () => {
		const error = malformed({ id: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c76', event: 42, data: { id: 'fGk2nP7xCH' } });
		expect(error.path).toBe('$.event');
		expect(error.reason).toBe('`event` must be a non-empty string, got a number');
	});

	it('keeps a partner event with an empty event name, inside a list', () => {
		const error = malformed([CHANNEL_LIVE, { id: 'x', event: '', data: {} }]);
		expect(error.path).toBe('$[1].event');
	});

	it('keeps partner data that is not an object', () => {
		const error = malformed({ id: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c76', event: 'channel_live', data: 'fGk2nP7xCH' });
		expect(error.path).toBe('$.data');
		expect(error.reason).toMatch(/`data` must be an object/);
	});

	it('for each bad element of any kind, and for nothing else', () => {
		const elements: unknown[] = [
			{ object: 'whatsapp_business_account', entry: 5 },
			{ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: [] }] }] },
			cloud({ messages: [null] }),
			cloud({ contacts: 'Sheena', messages: [TEXT] }),
			{ event: 1 },
			[{ event: 'channel_live', data: [] }],
		];
		for (const payload of elements) malformed(payload);
	});

	it('keeps the valid messages of a body with a null contact', () => {
		const second = { ...TEXT, id: 'wamid.second', text: { body: 'Second' } };
		const { path, items } = malformed(cloud({ contacts: [null, { profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }], messages: [TEXT, second] }));
		expect(path).toBe('$.entry[0].changes[0].value.contacts[0]');
		const messages = items.filter((item) => item.kind === 'message');
		expect(messages.map((item) => item.id)).toEqual([TEXT.id, 'wamid.second']);
		expect(messages.map((item) => item.kind === 'message' && item.contactName)).toEqual(['Sheena Nelson', 'Sheena Nelson']);
	});

	it('keeps the other statuses beside a broken one, with the number of the change', () => {
		const statuses = [{ id: 'wamid.1', status: 'sent', timestamp: '1749416390', recipient_id: '1' }, 'broken', { id: 'wamid.2', status: 'read', timestamp: '1749416391', recipient_id: '1' }];
		const { items } = malformed(cloud({ statuses }));
		expect(items.map((item) => item.event)).toEqual(['unknown', 'status.sent', 'status.read']);
		expect(items[0]).toMatchObject({ phoneNumberId: METADATA.phone_number_id, wabaId: '102290129340398', source: 'cloud' });
	});

	it('reads each body of a top-level list of Cloud bodies, as relays batch them', () => {
		const second = { ...TEXT, id: 'wamid.second' };
		const items = normalize([cloud({ messages: [TEXT] }), cloud({ messages: [second] })]);
		expect(items.map((item) => item.id)).toEqual([TEXT.id, 'wamid.second']);
		const { path, items: withBad } = malformed([cloud({ messages: [TEXT] }), 'noise', cloud({ messages: [second] })]);
		expect(path).toBe('$[1]');
		expect(withBad.filter((item) => item.kind === 'message')).toHaveLength(2);
		const { path: inner } = malformed([cloud({ messages: [TEXT] }), cloud({ messages: [second, null] })]);
		expect(inner).toBe('$[1].entry[0].changes[0].value.messages[1]');
	});
});

describe('limits', () => {
	it(`makes at most ${MAX_EVENTS_PER_BODY} items of one body and keeps the rest unread in one more`, () => {
		const total = MAX_EVENTS_PER_BODY + 2_500;
		const statuses = Array.from({ length: total }, (_, index) => ({ id: `wamid.${index}`, status: 'sent', recipient_id: '1' }));
		const items = normalize({ statuses });
		expect(items).toHaveLength(MAX_EVENTS_PER_BODY + 1);
		const overflow = items[MAX_EVENTS_PER_BODY];
		expect(overflow).toMatchObject({ kind: 'unknown', path: `$.statuses[${MAX_EVENTS_PER_BODY}]` });
		expect(overflow.kind === 'unknown' && overflow.value).toEqual(statuses.slice(MAX_EVENTS_PER_BODY));
		expect(items.slice(0, MAX_EVENTS_PER_BODY).map((item) => item.id)).toEqual(statuses.slice(0, MAX_EVENTS_PER_BODY).map((status) => status.id));
	});

	it('counts bad elements against the limit too', () => {
		const items = normalize({ messages: Array.from({ length: MAX_EVENTS_PER_BODY + 10 }, () => null) });
		expect(items).toHaveLength(MAX_EVENTS_PER_BODY + 1);
		expect(items[MAX_EVENTS_PER_BODY].kind === 'unknown' && (items[MAX_EVENTS_PER_BODY].value as unknown[]).length).toBe(10);
	});

	it('handles more events than a function call takes arguments', () => {
		const items = normalize({ messages: Array.from({ length: 200_000 }, () => ({})) });
		expect(items).toHaveLength(MAX_EVENTS_PER_BODY + 1);
	});

	it('bounds violation_info nested thousands of levels deep instead of overflowing the stack', () => {
		let deep: unknown = { violation_type: 'SCAM' };
		for (let level = 0; level < 4_172; level++) deep = { nested: deep };
		const [item] = normalize({ id: 'e', event: 'account_violation', data: { phone_number: '1', violation_info: deep } });
		expect(item.kind).toBe('partner');
		const info = item.kind === 'partner' ? item.violation?.info : null;
		expect(typeof info).toBe('string');
		expect((info as string).length).toBeLessThanOrEqual(16_385);
		expect(info).toContain('"[…]"');
	});

	it('cuts a huge violation_info to about 16 KB', () => {
		const huge = { violation_type: 'SPAM', notes: 'x'.repeat(1_000_000) };
		const [item] = normalize({ id: 'e', event: 'account_violation', data: { violation_info: huge } });
		const info = item.kind === 'partner' ? (item.violation?.info as string) : '';
		expect(info.length).toBe(16_385);
		expect(info.startsWith('{"violation_type":"SPAM","notes":"xxx')).toBe(true);
		expect(info.endsWith('…')).toBe(true);
	});
});

describe('options', () => {
	it('reads null and undefined options as the defaults', () => {
		const body = cloud({ messages: [TEXT] });
		expect(normalize(body, null)).toEqual(normalize(body));
		expect(normalize(body, undefined)).toEqual(normalize(body, { format: 'auto', includeRaw: false }));
	});

	it.each([
		[{ format: 'bogus' }, /options.format must be "auto", "cloud", "on_premise", "partner"; got the string "bogus"/],
		[{ format: 7 }, /options.format .* got a number/],
		[{ includeRaw: 'yes' }, /options.includeRaw must be true or false, got the string "yes"/],
		['cloud', /options must be an object .* got the string "cloud"/],
	])('refuses %p with a TypeError that says what is allowed', (options, message) => {
		expect(() => normalize(cloud({ messages: [TEXT] }), options as never)).toThrow(TypeError);
		expect(() => normalize(cloud({ messages: [TEXT] }), options as never)).toThrow(message);
	});
});

describe('odd but valid input never throws', () => {
	const valid = (payload: unknown) => {
		const items = normalize(payload);
		for (const item of items) expect(NormalizedEventSchema.parse(item)).toEqual(item);
		return items;
	};

	it('passes an unknown message type through', () => {
		const poll = { ...TEXT, type: 'poll', text: undefined, poll: { question: 'Pick a day', options: ['Mon', 'Tue'] } };
		const items = valid(cloud({ contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }], messages: [poll] }));
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ kind: 'message', event: 'message.poll', type: 'poll', text: null, media: null, contactName: 'Sheena Nelson' });
	});

	it('passes an unknown status through', () => {
		const items = valid(cloud({ statuses: [{ id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI4QjVFQjRGQjY4QUYxMTM5NTIA', status: 'in_orbit', timestamp: '1750030500', recipient_id: '16505551234' }] }));
		expect(items).toEqual([expect.objectContaining({ kind: 'status', event: 'status.in_orbit', status: 'in_orbit', severity: 'info' })]);
	});

	it('reads a status without a status value as status.unknown', () => {
		const items = valid({ statuses: [{ id: 'gBGGEgFVUXl_AgkUBIUqicVXyZY', timestamp: '1609879800' }] });
		expect(items[0]).toMatchObject({ kind: 'status', event: 'status.unknown', status: 'unknown' });
	});

	it('ignores new Meta fields at every level', () => {
		const payload = {
			object: 'whatsapp_business_account',
			api_version: 'v25.0',
			entry: [
				{
					id: '102290129340398',
					time: 1749416383,
					region: 'EU',
					changes: [
						{
							field: 'messages',
							delivery_attempt: 2,
							value: {
								messaging_product: 'whatsapp',
								metadata: { ...METADATA, business_region: 'EU', phone_number_tier: 'TIER_10K' },
								contacts: [{ profile: { name: 'Sheena Nelson', pronouns: 'she/her' }, wa_id: '16505551234', identity_key_hash: 'DF2lS5v2W6x=', country: 'US' }],
								messages: [
									{
										...TEXT,
										text: { body: 'Hi', language: 'en', formatting: [{ type: 'bold', start: 0, end: 2 }] },
										context: { from: '15550783881', id: 'wamid.ctx', mentions: ['16505550000'], thread_id: 't1' },
										sentiment: 'positive',
									},
								],
								statuses: [{ id: 'wamid.out', status: 'read', timestamp: '1749416390', recipient_id: '16505551234', read_receipt_mode: 'full', pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service', tier: '1' } }],
								group_id: 'G1',
							},
						},
					],
				},
			],
		};
		const items = valid(payload);
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({ kind: 'message', event: 'message.text', text: 'Hi', contactName: 'Sheena Nelson', context: { messageId: 'wamid.ctx', from: '15550783881' } });
		expect(items[1]).toMatchObject({ kind: 'status', event: 'status.read', pricing: { billable: false, model: 'PMP', category: 'service', type: 'free_customer_service' } });
	});

	it('reads leaves of an unexpected type leniently: numbers as strings, anything else as null', () => {
		const odd = { from: 16505551234, id: 12345, timestamp: { seconds: 1 }, type: 'image', image: { id: 987654321, mime_type: ['image/jpeg'], caption: 42 } };
		const items = valid(cloud({ contacts: [{ profile: 'Sheena', wa_id: 16505551234 }], messages: [odd] }));
		expect(items[0]).toMatchObject({
			kind: 'message',
			event: 'message.image',
			from: '16505551234',
			id: '12345',
			timestamp: null,
			contactName: null,
			media: { id: '987654321', mimeType: null, caption: '42' },
		});
	});

	it('accepts a sender known only by BSUID, with no phone numbers anywhere', () => {
		const payload = {
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '102290129340398',
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: { phone_number_id: '106540352242922' },
								contacts: [{ profile: { name: 'Sheena Nelson', username: 'sheena.grows' }, user_id: 'US.13491208655302741918' }],
								messages: [{ from_user_id: 'US.13491208655302741918', id: 'wamid.bsuid', timestamp: '1749416760', type: 'text', text: { body: 'Hi' } }],
								statuses: [{ id: 'wamid.out', status: 'delivered', timestamp: '1749416770', recipient_user_id: 'US.13491208655302741918' }],
							},
						},
					],
				},
			],
		};
		const [message, status] = valid(payload);
		expect(message).toMatchObject({ from: null, fromUserId: 'US.13491208655302741918', contactUsername: 'sheena.grows', displayPhoneNumber: null });
		expect(status).toMatchObject({ recipientId: null, recipientUserId: 'US.13491208655302741918' });
	});

	it('reads the timestamp "asdf" (Meta\'s test value) as no timestamp', () => {
		const [item] = valid(cloud({ messages: [{ ...TEXT, timestamp: 'asdf' }] }));
		expect(item).toMatchObject({ timestamp: null, timestampUnix: null, text: 'Hi' });
		const [onPremise] = valid({ messages: [{ ...TEXT, timestamp: 'asdf' }] });
		expect(onPremise).toMatchObject({ timestamp: null, timestampUnix: null });
	});

	it.each([
		['an array string', '["flow_token", "abc"]'],
		['invalid JSON', '{"flow_token": "abc"'],
		['a number string', '42'],
		['an empty string', ''],
	])('keeps a flow reply whose response_json is %s, with flowResponse null', (_name, responseJson) => {
		const nfm = { ...TEXT, type: 'interactive', text: undefined, interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson } } };
		const [item] = valid(cloud({ messages: [nfm] }));
		expect(item).toMatchObject({ kind: 'message', type: 'interactive', text: 'Sent', reply: { kind: 'flow', flowResponse: null } });
	});

	it('returns no items for an empty entry list or empty lists', () => {
		expect(valid({ object: 'whatsapp_business_account', entry: [] })).toEqual([]);
		expect(valid({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [] }] })).toEqual([]);
		expect(valid({ contacts: [], messages: [] })).toEqual([]);
		expect(valid('{"object":"whatsapp_business_account","entry":[]}')).toEqual([]);
	});

	it('keeps a messages change that carries nothing as one unknown item', () => {
		const items = valid(cloud({}));
		expect(items).toEqual([expect.objectContaining({ kind: 'unknown', event: 'unknown', field: 'messages' })]);
	});

	it('accepts a partner event with no data, or data null', () => {
		expect(valid({ id: 'e1', event: 'channel_live' })[0]).toMatchObject({ kind: 'partner', event: 'partner.channel_live', channelId: null, data: {} });
		expect(valid({ id: 'e2', event: 'channel_live', data: null })[0]).toMatchObject({ kind: 'partner', data: {} });
	});
});

describe('depth helpers', () => {
	const depthOf = (value: unknown): number =>
		typeof value !== 'object' || value === null ? 0 : 1 + Math.max(0, ...Object.values(value).map(depthOf));

	it('limitDepth returns the value itself when nothing is too deep, and a copy cut at the limit otherwise', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 8 }), (value, limit) => {
				const result = limitDepth(value, limit);
				if (depthOf(value) <= limit) {
					expect(result).toBe(value);
					expect(nestedDeeperThan(value, limit)).toBe(false);
				} else {
					expect(nestedDeeperThan(value, limit)).toBe(true);
					expect(depthOf(result)).toBeLessThanOrEqual(limit);
					expect(JSON.stringify(result)).toContain(CUT_MARKER);
				}
			}),
		);
	});

	it('boundedJson equals JSON.stringify for shallow, short values', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
				fc.pre(JSON.stringify(value).length <= 16_384);
				expect(boundedJson(value)).toBe(JSON.stringify(value));
			}),
		);
	});
});
