/**
 * The 2026 additions to the event model (groups, marketing click events, BSUID and usernames on
 * statuses, open pricing values, undocumented overridable fields, unconfirmed partner names), held
 * to the same rules as the corpus: a manifest of expected counts per payload, schema-valid items,
 * JSON text equal to the parsed body, and the filter and severity names derived from the catalog.
 */
import fc from 'fast-check';

import {
	CALL_EVENTS,
	CHANGE_FIELDS,
	detectFormat,
	GROUP_EVENT_TYPES,
	isUnknownEvent,
	messagingFilter,
	NAMED_CHANGE_EVENTS,
	normalize,
	NormalizedEventSchema,
	PARTNER_EVENTS,
	partnerFilter,
	severityOf,
	UNCONFIRMED_PARTNER_EVENTS,
	UNDOCUMENTED_CHANGE_FIELDS,
	USER_ACTION_TYPES,
	type NormalizedEvent,
	UNKNOWN_EVENT,
} from '../../index';
import { eventOptions, partnerEventOptions } from '../../nodes/shared/ui/descriptions';
import { countKinds, type CorpusFile } from '../support/corpus';
import { loadFixtures } from '../fixtures/load';
import { change, cloudEnvelope } from '../support/payloads';

const fixtures = loadFixtures('cloud');
const payloadOf = (name: string): unknown => {
	const fixture = fixtures.get(name);
	if (!fixture) throw new Error(`No fixture cloud/${name}.json`);
	return fixture.payload;
};

/**
 * The manifest of the new shapes, in the corpus's counting buckets (messages / statuses / errors /
 * partner events / other), with the events each payload must name. Counts follow the corpus rules
 * except that split lists (groups[], user_actions[]) count one per element: that is the point.
 */
const SHAPES: Array<{ file: string; expect: CorpusFile['expect']; events: string[] }> = [
	{ file: 'group-lifecycle-create-and-delete-failed', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 2 }, events: ['group.lifecycle', 'group.lifecycle'] },
	{ file: 'group-participants-joined-invite-link', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.participants'] },
	{ file: 'group-participants-join-request', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.participants'] },
	{ file: 'group-participants-remove-partial', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.participants'] },
	{ file: 'group-participants-left', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.participants'] },
	{ file: 'group-settings-update-partial-fail', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.settings'] },
	{ file: 'group-status-suspended', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.status'] },
	{ file: 'group-status-suspension-cleared', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['group.status'] },
	{ file: 'message-text-group', expect: { messages: 1, statuses: 0, errors: 0, events: 0, other: 0 }, events: ['message.text'] },
	{ file: 'user-actions-marketing-link-click', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 2 }, events: ['user_action.marketing_messages_link_click', 'user_action.marketing_messages_link_click'] },
	{ file: 'status-delivered-bsuid-username', expect: { messages: 0, statuses: 1, errors: 0, events: 0, other: 0 }, events: ['status.delivered'] },
	{ file: 'status-failed-bsuid-only', expect: { messages: 0, statuses: 1, errors: 0, events: 0, other: 0 }, events: ['status.failed'] },
	{ file: 'status-sent-pricing-open-values', expect: { messages: 0, statuses: 4, errors: 0, events: 0, other: 0 }, events: ['status.sent', 'status.sent', 'status.sent', 'status.sent'] },
	{ file: 'message-text-parent-bsuid', expect: { messages: 1, statuses: 0, errors: 0, events: 0, other: 0 }, events: ['message.text'] },
	{ file: 'account-settings-update-undocumented', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['unknown'] },
	{ file: 'message-echoes-non-smb-undocumented', expect: { messages: 0, statuses: 0, errors: 0, events: 0, other: 1 }, events: ['unknown'] },
];

const only = (events: string[]) => messagingFilter({ events });

describe('new shapes, corpus-style', () => {
	it.each(SHAPES.map((shape) => [shape.file, shape] as const))('%s yields its expected counts and events', (_file, shape) => {
		const payload = payloadOf(shape.file);
		expect(detectFormat(payload)).toBe('cloud');
		const items = normalize(payload);
		expect(countKinds(items.map((item) => item.kind))).toEqual(shape.expect);
		expect(items.map((item) => item.event)).toEqual(shape.events);
		for (const item of items) expect(NormalizedEventSchema.parse(item)).toEqual(item);
		expect(normalize(JSON.stringify(payload))).toEqual(items);
	});

	it('covers every group field and every catalog user action type', () => {
		const events = new Set(SHAPES.flatMap((shape) => shape.events));
		for (const spec of Object.values(CHANGE_FIELDS)) if (spec.kind === 'group') expect(events).toContain(spec.event);
		for (const type of USER_ACTION_TYPES) expect(events).toContain(`user_action.${type}`);
	});
});

describe('groups', () => {
	it('a group event is not unknown, and only the Group Updates group (of the new ones) selects it', () => {
		const items = normalize(payloadOf('group-status-suspended'));
		expect(items.every(only(['group:groups']))).toBe(true);
		expect(items.some(only(['group:unknown']))).toBe(false);
		expect(items.some(only(['group:clicks']))).toBe(false);
		expect(items.some(only(['group:messages']))).toBe(false);
		expect(items.every(only(['group.status']))).toBe(true);
		expect(items.some(only(['group.lifecycle']))).toBe(false);
	});

	it('a group message stays a message (All Messages), with groupId; a one-to-one message has groupId null', () => {
		const [group] = normalize(payloadOf('message-text-group'));
		expect(only(['group:messages'])(group)).toBe(true);
		expect(only(['group:groups'])(group)).toBe(false);
		const [plain] = normalize(payloadOf('message-text'));
		expect(plain).toMatchObject({ kind: 'message', groupId: null });
	});

	it('severity: suspended is critical, cleared and the other group events are info', () => {
		expect(severityOf('group.status', { groupEvent: 'group_suspend' })).toBe('critical');
		expect(severityOf('group.status', { groupEvent: 'group_suspend_cleared' })).toBe('info');
		for (const type of GROUP_EVENT_TYPES) {
			if (type === 'group_suspend') continue;
			for (const event of ['group.lifecycle', 'group.participants', 'group.settings', 'group.status'])
				expect(severityOf(event, { groupEvent: type })).toBe('info');
		}
	});

	it('an empty groups[] list still gives one item for the change, so nothing is dropped', () => {
		const body = cloudEnvelope({ id: '1', changes: [change('group_settings_update', { messaging_product: 'whatsapp', groups: [] })] });
		const items = normalize(body);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ kind: 'change', event: 'change.group_settings_update', field: 'group_settings_update' });
	});

	it('an unlisted group element type passes through in groupEvent', () => {
		const element = { timestamp: '1771000000', group_id: 'G1', type: 'group_pinned_message' };
		const body = cloudEnvelope({ id: '1', changes: [change('group_status_update', { groups: [element] })] });
		expect(normalize(body)).toEqual([expect.objectContaining({ kind: 'group', event: 'group.status', groupEvent: 'group_pinned_message', severity: 'info', value: element })]);
	});
});

describe('marketing click events', () => {
	const clickBody = (actions: unknown[], extra: Record<string, unknown> = {}) =>
		cloudEnvelope({ id: '1', changes: [change('messages', { messaging_product: 'whatsapp', ...extra, user_actions: actions })] });

	it('clicks are named items that the Marketing Click Events group selects, not unknown', () => {
		const items = normalize(payloadOf('user-actions-marketing-link-click'));
		expect(items.every(only(['group:clicks']))).toBe(true);
		expect(items.some(only(['group:unknown']))).toBe(false);
		expect(items.every(only(['user_action.marketing_messages_link_click']))).toBe(true);
	});

	it('a click next to a message in the same change gives both items', () => {
		const [message] = (payloadOf('message-text') as { entry: Array<{ changes: Array<{ value: { messages: unknown[]; contacts: unknown[] } }> }> }).entry[0].changes[0].value.messages;
		const click = { action_type: 'marketing_messages_link_click', timestamp: '1771000900', marketing_messages_link_click_data: { click_id: 'c1' } };
		const items = normalize(clickBody([click], { messages: [message] }));
		expect(items.map((item) => [item.kind, item.id])).toEqual([
			['message', (message as { id: string }).id],
			['user_action', 'c1'],
		]);
	});

	it('a new action type passes through under its own name and counts as unknown', () => {
		const action = { action_type: 'marketing_messages_view', timestamp: '1771000900', marketing_messages_view_data: { click_id: 'v1' } };
		const [item] = normalize(clickBody([action]));
		expect(item).toMatchObject({ kind: 'user_action', event: 'user_action.marketing_messages_view', actionType: 'marketing_messages_view', clickId: 'v1', value: action });
		expect(isUnknownEvent(item.event)).toBe(true);
		expect(only(['group:unknown'])(item)).toBe(true);
	});

	it('an empty user_actions[] on an otherwise empty messages change is one unknown item, as before', () => {
		const items = normalize(clickBody([]));
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ kind: 'unknown', field: 'messages' });
	});

	it('a click without a timestamp takes the entry time', () => {
		const body = clickBody([{ action_type: 'marketing_messages_link_click' }]);
		body.entry[0].time = 1771000000;
		expect(normalize(body)[0]).toMatchObject({ timestamp: '2026-02-13T16:26:40.000Z', clickId: null, id: null });
	});
});

describe('BSUID and usernames on statuses', () => {
	it('a status whose recipient has no contacts[] entry has null username, whatever else the change holds', () => {
		const body = payloadOf('status-delivered-bsuid-username') as { entry: Array<{ changes: Array<{ value: { contacts: Array<{ wa_id: string; user_id: string }> } }> }> };
		const copy = JSON.parse(JSON.stringify(body)) as typeof body;
		const contact = copy.entry[0].changes[0].value.contacts[0];
		contact.wa_id = '19995550000';
		contact.user_id = 'US.1';
		// Two contacts, none matching: no username is borrowed from someone else.
		copy.entry[0].changes[0].value.contacts.push({ ...contact, wa_id: '19995550001', user_id: 'US.2' });
		expect(normalize(copy)[0]).toMatchObject({ kind: 'status', recipientUsername: null, recipientUserId: 'US.13491208655302741918' });
	});

	it('On-Premise statuses have the new fields too, as null', () => {
		const [item] = normalize({ statuses: [{ id: 'gBGGEgZHMlEfAgkM1RBkhDRr7t8', status: 'read', timestamp: '1518694700', recipient_id: '16315555555' }] });
		expect(item).toMatchObject({ kind: 'status', recipientUsername: null, recipientParentUserId: null });
	});
});

describe('pricing values stay open', () => {
	it('any category, type and model string is kept as sent and stays schema-valid', () => {
		const valueArb = fc.string({ minLength: 1, maxLength: 30 });
		fc.assert(
			fc.property(valueArb, valueArb, valueArb, (category, type, model) => {
				const status = { id: 'wamid.p', status: 'sent', timestamp: '1775000000', recipient_id: '16505551234', pricing: { billable: false, pricing_model: model, type, category } };
				const [item] = normalize(cloudEnvelope({ id: '1', changes: [change('messages', { statuses: [status] })] }));
				expect(item).toMatchObject({ kind: 'status', pricing: { billable: false, model, type, category } });
				expect(NormalizedEventSchema.parse(item)).toEqual(item);
			}),
			{ numRuns: 200 },
		);
	});
});

describe('calls', () => {
	const callBody = (event: string) =>
		cloudEnvelope({ id: '1', changes: [change('calls', { calls: [{ id: 'wacid.1', event, timestamp: '1771000000', from: '16505551234', to: '15550783881' }] })] });

	it.each(CALL_EVENTS.map((event) => [event]))('call.%s is a named, known event', (event) => {
		const [item] = normalize(callBody(event));
		expect(item).toMatchObject({ kind: 'call', event: `call.${event}` });
		expect(isUnknownEvent(item.event)).toBe(false);
		expect(only([`call.${event}`])(item)).toBe(true);
	});

	it('an undocumented call event keeps its call fields, and the Unknown group selects it', () => {
		const [item] = normalize(callBody('media_update'));
		expect(item).toMatchObject({ kind: 'call', event: 'call.media_update', callId: 'wacid.1' });
		expect(only(['group:unknown'])(item)).toBe(true);
	});
});

describe('undocumented overridable fields', () => {
	it.each(Object.keys(UNDOCUMENTED_CHANGE_FIELDS).map((field) => [field]))('%s stays an unknown item with its field and value', (field) => {
		expect(Object.keys(CHANGE_FIELDS)).not.toContain(field);
		const value = { messaging_product: 'whatsapp', anything: [1, 2] };
		const [item] = normalize(cloudEnvelope({ id: '1', changes: [change(field, value)] }));
		expect(item).toMatchObject({ kind: 'unknown', event: 'unknown', field, value });
		expect(only(['group:unknown'])(item)).toBe(true);
	});
});

describe('unconfirmed partner event names', () => {
	it('are catalog names, still accepted and filterable by name', () => {
		for (const name of UNCONFIRMED_PARTNER_EVENTS) {
			expect(PARTNER_EVENTS).toContain(name);
			const [item] = normalize({ id: `evt-${name}`, event: name, data: {} });
			expect(item).toMatchObject({ kind: 'partner', event: `partner.${name}`, partnerEvent: name });
			expect(partnerFilter({ preset: 'custom', events: [name] })(item)).toBe(true);
		}
	});

	it('are marked in the Custom list, and only they are', () => {
		// Every catalog event, then Unknown or Malformed, which is no partner event name.
		const options = partnerEventOptions().filter((option) => option.value !== UNKNOWN_EVENT);
		expect(options).toHaveLength(PARTNER_EVENTS.length);
		for (const option of options) {
			const marked = option.name.endsWith(' (Unconfirmed)');
			expect(marked).toBe((UNCONFIRMED_PARTNER_EVENTS as readonly string[]).includes(option.value as string));
		}
	});
});

describe('the Events multi-select, derived from the catalog', () => {
	const values = (groups: Parameters<typeof eventOptions>[0]) => eventOptions(groups).map((option) => option.value);

	it('offers the new filter groups and every new name', () => {
		const offered = values(['messages', 'statuses', 'groups', 'clicks', 'sync', 'unknown']);
		expect(offered).toEqual(expect.arrayContaining(['group:groups', 'group:clicks', 'group.lifecycle', 'group.participants', 'group.settings', 'group.status', 'user_action.marketing_messages_link_click', ...CALL_EVENTS.map((event) => `call.${event}`)]));
		for (const event of NAMED_CHANGE_EVENTS) expect(offered).toContain(event);
		expect(new Set(offered).size).toBe(offered.length);
	});

	it('every event a new-shape fixture produces can be selected by name or matches a selectable group', () => {
		const offered = values(['messages', 'statuses', 'errors', 'templates', 'account', 'echoes', 'groups', 'clicks', 'sync', 'unknown']);
		const items: NormalizedEvent[] = SHAPES.flatMap((shape) => normalize(payloadOf(shape.file)));
		for (const item of items) {
			const byName = offered.includes(item.event);
			const byGroup = offered.filter((value) => String(value).startsWith('group:')).some((group) => only([String(group)])(item));
			expect({ event: item.event, selectable: byName || byGroup }).toEqual({ event: item.event, selectable: true });
		}
	});
});
