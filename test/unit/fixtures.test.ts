import {
	CHANGE_FIELDS,
	MESSAGE_TYPES,
	normalize,
	NormalizedEventSchema,
	PARTNER_EVENTS,
	STATUS_VALUES,
	type NormalizedEvent,
} from '../../index';
import { FIXTURE_FOLDERS as FOLDERS, FIXTURE_SOURCES as SOURCES, loadFixtures, type Fixture, type FixtureFolder as Folder } from '../fixtures/load';

const fixtures: Record<Folder, Map<string, Fixture>> = {
	cloud: loadFixtures('cloud'),
	onprem: loadFixtures('onprem'),
	partner: loadFixtures('partner'),
};

const all = FOLDERS.flatMap((folder) =>
	[...fixtures[folder].entries()].map(([name, fixture]) => ({ folder, name, fixture, label: `${folder}/${name}` })),
);

function fixture(folder: Folder, name: string): Fixture {
	const found = fixtures[folder].get(name);
	if (!found) throw new Error(`No fixture ${folder}/${name}.json`);
	return found;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every object (and list) inside a payload, the payload included. */
function subtrees(value: unknown, found: unknown[] = []): unknown[] {
	if (Array.isArray(value)) {
		found.push(value);
		for (const element of value) subtrees(element, found);
	} else if (isPlainObject(value)) {
		found.push(value);
		for (const child of Object.values(value)) subtrees(child, found);
	}
	return found;
}

function withoutRaw(item: NormalizedEvent): NormalizedEvent {
	const copy: Record<string, unknown> = { ...item };
	delete copy.raw;
	return copy as NormalizedEvent;
}

describe('authored fixtures', () => {
	it('cover every folder', () => {
		expect(fixtures.cloud.size).toBeGreaterThanOrEqual(70);
		expect(fixtures.onprem.size).toBeGreaterThanOrEqual(20);
		expect(fixtures.partner.size).toBeGreaterThanOrEqual(40);
	});

	it.each(all.map((entry) => [entry.label, entry] as const))('%s', (_label, { folder, fixture: { description, payload, expect: expected } }) => {
		expect(description.length).toBeGreaterThan(10);
		expect(expected.length).toBeGreaterThan(0);
		const items = normalize(payload);
		expect(items).toHaveLength(expected.length);
		items.forEach((item, index) => {
			expect(item).toMatchObject(expected[index]);
			expect(item.source).toBe(SOURCES[folder]);
			expect(NormalizedEventSchema.parse(item)).toEqual(item);
		});
		// Every expectation names what it is about.
		for (const partial of expected) {
			expect(partial).toHaveProperty('kind');
			expect(partial).toHaveProperty('event');
		}
		// The JSON text of the body normalizes exactly like the parsed body.
		expect(normalize(JSON.stringify(payload))).toEqual(items);
	});
});

describe('includeRaw', () => {
	it.each(all.map((entry) => [entry.label, entry] as const))('%s keeps the source element only when asked', (_label, { fixture: { payload } }) => {
		const plain = normalize(payload);
		const explicit = normalize(payload, { includeRaw: false });
		const withRaw = normalize(payload, { includeRaw: true });
		for (const item of [...plain, ...explicit]) expect(Object.keys(item)).not.toContain('raw');
		expect(explicit).toEqual(plain);

		const elements = subtrees(payload);
		expect(withRaw).toHaveLength(plain.length);
		withRaw.forEach((item, index) => {
			expect(item.raw).toBeDefined();
			// `raw` is a piece of the body as received, not a rebuilt object.
			expect(elements.some((element) => element === item.raw)).toBe(true);
			expect(withoutRaw(item)).toEqual(plain[index]);
			expect(NormalizedEventSchema.parse(item)).toEqual(item);
		});
	});

	const rawOf = (folder: Folder, name: string) => normalize(fixture(folder, name).payload, { includeRaw: true }).map((item) => item.raw);
	type CloudBody = { entry: Array<{ changes: Array<{ value: Record<string, unknown[]> & Record<string, unknown> }> }> };
	const cloudValue = (name: string, entry = 0, change = 0) =>
		(fixture('cloud', name).payload as CloudBody).entry[entry].changes[change].value;

	it('is the message for a message, the status for a status, the error for an error', () => {
		expect(rawOf('cloud', 'message-text')).toEqual([cloudValue('message-text').messages[0]]);
		expect(rawOf('cloud', 'status-failed')).toEqual([cloudValue('status-failed').statuses[0]]);
		expect(rawOf('cloud', 'errors-value-level')).toEqual(cloudValue('errors-value-level').errors);
		const onPremise = fixture('onprem', 'batch').payload as Record<string, unknown[]>;
		expect(rawOf('onprem', 'batch')).toEqual([...onPremise.messages, ...onPremise.statuses, ...onPremise.errors]);
	});

	it('is the change value for a change, the element for a split change', () => {
		expect(rawOf('cloud', 'template-status-approved')).toEqual([cloudValue('template-status-approved')]);
		expect(rawOf('cloud', 'unknown-change-field')).toEqual([cloudValue('unknown-change-field')]);
		expect(rawOf('cloud', 'user-preferences')).toEqual(cloudValue('user-preferences').user_preferences);
		expect(rawOf('cloud', 'smb-app-state-sync')).toEqual(cloudValue('smb-app-state-sync').state_sync);
		expect(rawOf('cloud', 'smb-message-echoes')).toEqual(cloudValue('smb-message-echoes').message_echoes);
	});

	it('is the partner event, one per array element', () => {
		expect(rawOf('partner', 'channel-live')).toEqual([fixture('partner', 'channel-live').payload]);
		expect(rawOf('partner', 'batch-array')).toEqual(fixture('partner', 'batch-array').payload);
	});
});

describe('fixture coverage', () => {
	const items = (folder: Folder) => [...fixtures[folder].values()].flatMap((entry) => normalize(entry.payload));
	const cloudItems = items('cloud');
	const onPremiseItems = items('onprem');
	const partnerItems = items('partner');

	it('has a Cloud fixture for every message type (ephemeral and ciphertext On-Premise only)', () => {
		const types = (list: NormalizedEvent[]) => new Set(list.flatMap((item) => (item.kind === 'message' ? [item.type] : [])));
		const cloud = types(cloudItems);
		const onPremise = types(onPremiseItems);
		for (const type of MESSAGE_TYPES) {
			if (type === 'ephemeral' || type === 'ciphertext') expect(onPremise).toContain(type);
			else expect(cloud).toContain(type);
		}
	});

	it('has a fixture for every status value (deleted On-Premise, played Cloud)', () => {
		const statuses = (list: NormalizedEvent[]) => new Set(list.flatMap((item) => (item.kind === 'status' ? [item.status] : [])));
		const cloud = statuses(cloudItems);
		const onPremise = statuses(onPremiseItems);
		for (const status of STATUS_VALUES) expect(status === 'deleted' ? onPremise : cloud).toContain(status);
		for (const status of ['sent', 'delivered', 'read', 'failed', 'deleted']) expect(onPremise).toContain(status);
	});

	it('has a Cloud fixture for every change field', () => {
		const fields = new Set<string>();
		for (const entry of fixtures.cloud.values()) {
			const body = entry.payload as { field?: string; entry?: Array<{ changes: Array<{ field: string }> }> };
			if (body.field) fields.add(body.field);
			for (const cloudEntry of body.entry ?? []) for (const change of cloudEntry.changes) fields.add(change.field);
		}
		for (const field of Object.keys(CHANGE_FIELDS)) expect(fields).toContain(field);
		expect(cloudItems.some((item) => item.kind === 'unknown')).toBe(true);
	});

	it('has a partner fixture for every partner event, and for every event name the spec lists', () => {
		const names = new Set(partnerItems.flatMap((item) => (item.kind === 'partner' ? [item.partnerEvent] : [])));
		const lower = new Set([...names].map((name) => name.toLowerCase()));
		for (const name of PARTNER_EVENTS) expect(lower).toContain(name);
		// The spec spells these in upper case.
		for (const name of ['DISABLED_UPDATE', 'ENDPOINT_AVAILABILITY', 'CLIENT_ERROR_RATE', 'ENDPOINT_ERROR_RATE', 'ENDPOINT_LATENCY', 'FLOW_STATUS_CHANGE', 'HISTORY', 'SMB_APP_STATE_SYNC']) {
			expect(names).toContain(name);
		}
	});

	it('has items of every severity', () => {
		const severities = new Set([...cloudItems, ...onPremiseItems, ...partnerItems].map((item) => item.severity));
		expect([...severities].sort()).toEqual(['critical', 'info', 'warning']);
	});
});

/**
 * Keys whose value depends on the wire format rather than on the event: where it came from and
 * which number received it (On-Premise has no envelope, so its conversation key lacks the number).
 */
const FORMAT_KEYS = new Set(['source', 'wabaId', 'phoneNumberId', 'displayPhoneNumber', 'conversationKey', 'raw']);

/**
 * The format-independent part of an On-Premise item: every key except the format keys, leaving
 * out (at any depth) the values the On-Premise format does not carry, which read as null.
 */
function formatIndependent(value: unknown, top = true): unknown {
	if (Array.isArray(value)) return value.map((element) => formatIndependent(element, false));
	if (!isPlainObject(value)) return value;
	return Object.fromEntries(
		Object.entries(value)
			.filter(([key, child]) => child !== null && !(top && FORMAT_KEYS.has(key)))
			.map(([key, child]) => [key, formatIndependent(child, false)]),
	);
}

describe('Cloud and On-Premise agree', () => {
	const PAIRS: Array<[cloud: string, onPremise: string]> = [
		['message-text', 'message-text'],
		['message-image', 'message-image'],
		['message-audio-voice', 'message-voice'],
		['message-document', 'message-document'],
		['message-location', 'message-location'],
		['message-button', 'message-button'],
		['message-interactive-button-reply', 'message-interactive-button-reply'],
		['message-interactive-list-reply', 'message-interactive-list-reply'],
		['status-sent', 'status-sent'],
		['status-delivered', 'status-delivered'],
		['status-read', 'status-read'],
	];

	it.each(PAIRS)('cloud/%s and onprem/%s give the same format-independent fields', (cloudName, onPremiseName) => {
		const [cloud] = normalize(fixture('cloud', cloudName).payload);
		const onPremiseItems = normalize(fixture('onprem', onPremiseName).payload);
		expect(onPremiseItems).toHaveLength(1);
		const [onPremise] = onPremiseItems;
		expect(cloud.source).toBe('cloud');
		expect(onPremise.source).toBe('on_premise');

		const shared = formatIndependent(onPremise) as Record<string, unknown>;
		// The comparison covers the event itself, not only a few leftovers.
		expect(Object.keys(shared)).toEqual(expect.arrayContaining(['kind', 'event', 'id', 'timestamp', 'timestampUnix', 'severity']));
		expect(cloud).toMatchObject(shared);
	});

	it('reads an On-Premise voice note as Cloud reads audio with voice true', () => {
		const [cloud] = normalize(fixture('cloud', 'message-audio-voice').payload);
		const [onPremise] = normalize(fixture('onprem', 'message-voice').payload);
		for (const item of [cloud, onPremise]) {
			expect(item).toMatchObject({ kind: 'message', event: 'message.audio', type: 'audio', media: { voice: true } });
		}
	});

	it('leaves out exactly the values On-Premise lacks', () => {
		const [cloud] = normalize(fixture('cloud', 'message-image').payload);
		const [onPremise] = normalize(fixture('onprem', 'message-image').payload);
		expect(cloud).toMatchObject({ media: { url: expect.stringMatching(/^https:\/\/lookaside\.fbsbx\.com\//) } });
		expect(onPremise).toMatchObject({ media: { url: null }, wabaId: null, phoneNumberId: null, displayPhoneNumber: null });
	});
});
