/**
 * The Partner trigger (360dialog Partner Trigger) through n8n's real HookContext and
 * WebhookContext: partner webhook URL registration against a mocked Partner API, signature checks
 * on exact raw bodies, presets, severity threshold and dedup.
 */
import nock from 'nock';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type IDataObject, type INodeParameters, type WebhookSetupMethodNames } from 'n8n-workflow';

import { SIGNATURE_HEADER } from '../../nodes/shared/core/security';
import { runHookMethod, runWebhookTrigger, type RunWebhookTriggerResult } from './harness';
import { corpusAvailable, corpusFiles, corpusText } from '../support/corpus';
import {
	credentialTypes,
	nodeStatic,
	nodeTypes,
	OUR_PARTNER_URL,
	PARTNER_API_KEY,
	PARTNER_BASE_PATH,
	PARTNER_BASE_URL,
	PARTNER_ID,
	PARTNER_TRIGGER_NAME,
	partnerNode,
	PARTNER_WEBHOOK_ID,
} from '../support/trigger-fixtures';
import {
	partnerEvent,
	sign,
	SIGNING_SECRET,
	type SignatureEncoding,
} from '../support/payloads';

const STATE_KEY = `node:${PARTNER_TRIGGER_NAME}`;
const OLD_URL = 'https://partner-backend.example.com/360/events';
const SOMEONE_ELSES_URL = 'https://someone-else.example.org/partner';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

const hubCredentials: ICredentialDataDecryptedObject = { partnerId: PARTNER_ID, apiKey: PARTNER_API_KEY };
/** A proxy base URL with a trailing slash and a partner id with stray spaces: both are trimmed. */
const customHubCredentials: ICredentialDataDecryptedObject = {
	partnerId: ` ${PARTNER_ID} `,
	apiKey: PARTNER_API_KEY,
	baseUrl: 'http://partner-sim.local:5801/hub/api/v2/',
};

async function hook(method: WebhookSetupMethodNames, credentials: ICredentialDataDecryptedObject, staticData?: IDataObject) {
	return await runHookMethod({
		nodes: [partnerNode()],
		connections: {},
		nodeTypes,
		credentials: { dialog360PartnerApi: credentials },
		credentialTypes,
		nodeName: PARTNER_TRIGGER_NAME,
		method,
		staticData,
	});
}

describe.each([
	['the Partner Hub', hubCredentials, PARTNER_BASE_URL, `${PARTNER_BASE_PATH}/partners/${PARTNER_ID}/webhook_url`],
	['a custom base URL', customHubCredentials, 'http://partner-sim.local:5801', `/hub/api/v2/partners/${PARTNER_ID}/webhook_url`],
])('partner webhook registration on %s', (_label, credentials, origin, path) => {
	const api = () => nock(origin, { reqheaders: { 'X-API-Key': PARTNER_API_KEY } });

	it('create saves the previous URL and registers ours', async () => {
		const scope = api().get(path).reply(200, { webhook_url: OLD_URL }).post(path, { webhook_url: OUR_PARTNER_URL }).reply(200, { webhook_url: OUR_PARTNER_URL });

		const { result, staticData } = await hook('create', credentials);

		expect(result).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(staticData[STATE_KEY]).toEqual({ previousUrl: OLD_URL });
	});

	it('re-activation keeps the saved previous URL rather than saving ours', async () => {
		const scope = api().get(path).reply(200, { webhook_url: OUR_PARTNER_URL }).post(path, { webhook_url: OUR_PARTNER_URL }).reply(200, {});
		const { staticData } = await hook('create', credentials, nodeStatic(PARTNER_TRIGGER_NAME, { previousUrl: OLD_URL }));
		expect(scope.isDone()).toBe(true);
		expect(staticData[STATE_KEY]).toEqual({ previousUrl: OLD_URL });
	});

	it('does not save our own URL under another n8n address as previous', async () => {
		const ownElsewhere = `https://n8n-lb.example.com/webhook/${PARTNER_WEBHOOK_ID}/webhook`;
		const scope = api().get(path).reply(200, { webhook_url: ownElsewhere }).post(path, { webhook_url: OUR_PARTNER_URL }).reply(200, {});
		const { staticData } = await hook('create', credentials, nodeStatic(PARTNER_TRIGGER_NAME, { previousUrl: OLD_URL }));
		expect(scope.isDone()).toBe(true);
		expect(staticData[STATE_KEY]).toEqual({ previousUrl: OLD_URL });
	});

	it('checkExists compares the registered URL with ours', async () => {
		api().get(path).reply(200, { webhook_url: OUR_PARTNER_URL });
		expect((await hook('checkExists', credentials)).result).toBe(true);
		api().get(path).reply(200, { webhook_url: SOMEONE_ELSES_URL });
		expect((await hook('checkExists', credentials)).result).toBe(false);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('delete restores the previous URL and forgets it', async () => {
		const scope = api().get(path).reply(200, { webhook_url: OUR_PARTNER_URL }).post(path, { webhook_url: OLD_URL }).reply(200, {});
		const { result, staticData } = await hook('delete', credentials, nodeStatic(PARTNER_TRIGGER_NAME, { previousUrl: OLD_URL }));
		expect(result).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(staticData[STATE_KEY]).toEqual({});
	});

	it("delete leaves someone else's URL untouched", async () => {
		// Only the GET is mocked: a POST would find no interceptor and fail the hook.
		const scope = api().get(path).reply(200, { webhook_url: SOMEONE_ELSES_URL });
		const { result, staticData } = await hook('delete', credentials, nodeStatic(PARTNER_TRIGGER_NAME, { previousUrl: OLD_URL }));
		expect(result).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(staticData[STATE_KEY]).toEqual({});
	});

	it('a failed restore raises a NodeApiError naming the previous URL', async () => {
		const scope = api().get(path).reply(200, { webhook_url: OUR_PARTNER_URL }).post(path, { webhook_url: OLD_URL }).reply(500, { detail: 'boom' });
		const error = await hook('delete', credentials, nodeStatic(PARTNER_TRIGGER_NAME, { previousUrl: OLD_URL })).then(
			() => undefined,
			(thrown: unknown) => thrown as Error,
		);
		expect(scope.isDone()).toBe(true);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toContain(OLD_URL);
		expect((error as NodeApiError).description).toContain('360dialog answered: {"detail":"boom"}');
	});

	it('a wrong Partner ID is named as such when publishing', async () => {
		const scope = api().get(path).reply(404, { detail: 'Not found.' });
		const error = (await hook('create', credentials).then(
			() => undefined,
			(thrown: unknown) => thrown,
		)) as NodeApiError;
		expect(scope.isDone()).toBe(true);
		expect(error.message).toMatch(new RegExp(`^360dialog answered 404 to GET .*/partners/${PARTNER_ID}/webhook_url$`));
		expect(error.description).toContain('360dialog answered: {"detail":"Not found."}. The Partner ID is wrong');
	});
});

// ---------------------------------------------------------------------------------------------
// webhook()
// ---------------------------------------------------------------------------------------------

/** A Partner Hub body as 360dialog sends it: pretty-printed, so re-serialising changes its bytes. */
const CHANNEL_LIVE_RAW = `{
  "id": "evt_1",
  "event": "channel_live",
  "data": {
    "id": "tlbN64CH",
    "status": "ready",
    "account_mode": "live",
    "phone_number": "15553785635",
    "phone_name": "Vozko Homolog TMP"
  }
}
`;

interface PartnerDelivery {
	/** The exact request bytes; the parsed body is derived from them unless `body` is given. */
	raw: string;
	body?: unknown;
	headers?: Record<string, string>;
	parameters?: INodeParameters;
	signingSecret?: string;
	staticData?: IDataObject;
}

async function deliver(delivery: PartnerDelivery): Promise<RunWebhookTriggerResult & { items: IDataObject[] | undefined }> {
	const result = await runWebhookTrigger({
		nodes: [partnerNode(delivery.parameters)],
		connections: {},
		nodeTypes,
		credentials: { dialog360PartnerApi: { partnerId: PARTNER_ID, apiKey: PARTNER_API_KEY, signingSecret: delivery.signingSecret ?? '' } },
		credentialTypes,
		staticData: delivery.staticData,
		triggerNodeName: PARTNER_TRIGGER_NAME,
		request: {
			headers: { 'content-type': 'application/json', ...delivery.headers },
			body: delivery.body === undefined ? JSON.parse(delivery.raw) : delivery.body,
			rawBody: Buffer.from(delivery.raw, 'utf8'),
		},
	});
	return { ...result, items: result.webhookResponse.workflowData?.[0].map((item) => item.json) };
}

const events = (items: IDataObject[] | undefined) => items?.map((item) => item.event);
const signed = (raw: string, encoding: SignatureEncoding = 'hex', secret = SIGNING_SECRET) => ({ [SIGNATURE_HEADER]: sign(raw, secret, encoding) });

describe('webhook(): x-360dialog-signature', () => {
	const corpusRaw = (): string[] => {
		if (!corpusAvailable()) return [];
		return corpusFiles()
			.filter((file) => file.format === 'partner')
			.map((file) => corpusText(file));
	};
	const raws = [CHANNEL_LIVE_RAW, ...corpusRaw()];

	it.each(['hex', 'HEX', 'sha256=hex', 'base64'] as const)('accepts a correct %s signature of the raw body', async (encoding) => {
		for (const raw of raws) {
			const { items, response } = await deliver({ raw, signingSecret: SIGNING_SECRET, headers: signed(raw, encoding) });
			expect(response.statusCode).toBe(200);
			expect(items?.length).toBeGreaterThan(0);
		}
	});

	it('turns the signed channel_live body into one item', async () => {
		const { items } = await deliver({ raw: CHANNEL_LIVE_RAW, signingSecret: SIGNING_SECRET, headers: signed(CHANNEL_LIVE_RAW) });
		expect(items).toHaveLength(1);
		expect(items?.[0]).toMatchObject({
			kind: 'partner',
			event: 'partner.channel_live',
			partnerEvent: 'channel_live',
			eventId: 'evt_1',
			channelId: 'tlbN64CH',
			phoneNumber: '15553785635',
			accountMode: 'live',
		});
	});

	it('rejects a signature made with another secret (401 naming the header)', async () => {
		const { response, webhookResponse, run } = await deliver({
			raw: CHANNEL_LIVE_RAW,
			signingSecret: SIGNING_SECRET,
			headers: signed(CHANNEL_LIVE_RAW, 'hex', 'an-old-secret'),
		});
		expect(response.statusCode).toBe(401);
		expect(response.headers['content-type']).toBe('application/json');
		expect((response.body as IDataObject).message).toContain(`"${SIGNATURE_HEADER}"`);
		expect(webhookResponse.workflowData).toBeUndefined();
		expect(run).toBeUndefined();
	});

	it('rejects a request without the signature when a signing secret is set', async () => {
		const { response, webhookResponse } = await deliver({ raw: CHANNEL_LIVE_RAW, signingSecret: SIGNING_SECRET });
		expect(response.statusCode).toBe(401);
		expect((response.body as IDataObject).message).toMatch(/^Missing the "x-360dialog-signature" header/);
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('checks the exact bytes: a signature over the body re-serialised differently fails', async () => {
		const reserialised = JSON.stringify(JSON.parse(CHANNEL_LIVE_RAW));
		expect(reserialised).not.toBe(CHANNEL_LIVE_RAW);
		const { response } = await deliver({ raw: CHANNEL_LIVE_RAW, signingSecret: SIGNING_SECRET, headers: signed(reserialised) });
		expect(response.statusCode).toBe(401);
	});

	it('rejects a signature of a different body', async () => {
		const tampered = CHANNEL_LIVE_RAW.replace('"ready"', '"banned"');
		const { response } = await deliver({ raw: tampered, signingSecret: SIGNING_SECRET, headers: signed(CHANNEL_LIVE_RAW) });
		expect(response.statusCode).toBe(401);
	});

	it('accepts unsigned requests when the credential has no signing secret', async () => {
		const { items } = await deliver({ raw: CHANNEL_LIVE_RAW });
		expect(events(items)).toEqual(['partner.channel_live']);
	});

	describe('with Signature Required', () => {
		const parameters = { authentication: 'signatureRequired' };

		it('refuses every request while the credential has no signing secret', async () => {
			const { response, items } = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, headers: signed(CHANNEL_LIVE_RAW) });
			expect(response.statusCode).toBe(401);
			expect((response.body as IDataObject).message).toMatch(/Signature Required, but the credential has no Webhook Signing Secret/);
			expect(items).toBeUndefined();
		});

		it('accepts a valid signature and refuses a missing one when the secret is set', async () => {
			const ok = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, signingSecret: SIGNING_SECRET, headers: signed(CHANNEL_LIVE_RAW) });
			expect(events(ok.items)).toEqual(['partner.channel_live']);
			const unsigned = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, signingSecret: SIGNING_SECRET });
			expect(unsigned.response.statusCode).toBe(401);
		});
	});

	it('marks the run of an unsigned request with a warning hint, and a signed one without', async () => {
		const unsigned = await deliver({ raw: CHANNEL_LIVE_RAW });
		const hintsOf = (result: RunWebhookTriggerResult) => result.run?.runData[PARTNER_TRIGGER_NAME]?.[0]?.hints ?? [];
		expect(hintsOf(unsigned)).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/not signature-checked/) })]);
		const signedRun = await deliver({ raw: CHANNEL_LIVE_RAW, signingSecret: SIGNING_SECRET, headers: signed(CHANNEL_LIVE_RAW) });
		expect(signedRun.run).toBeDefined();
		expect(hintsOf(signedRun)).toEqual([]);
	});

	describe('with a custom header', () => {
		const parameters = { authentication: 'customHeader', headerName: 'X-Partner-Auth', headerValue: 'pv-123' };

		it('needs the header and the signature when both are configured', async () => {
			const both = await deliver({
				raw: CHANNEL_LIVE_RAW,
				parameters,
				signingSecret: SIGNING_SECRET,
				headers: { 'x-partner-auth': 'pv-123', ...signed(CHANNEL_LIVE_RAW) },
			});
			expect(events(both.items)).toEqual(['partner.channel_live']);

			const noHeader = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, signingSecret: SIGNING_SECRET, headers: signed(CHANNEL_LIVE_RAW) });
			expect(noHeader.response.statusCode).toBe(401);
			expect((noHeader.response.body as IDataObject).message).toContain('"X-Partner-Auth"');

			const badSignature = await deliver({
				raw: CHANNEL_LIVE_RAW,
				parameters,
				signingSecret: SIGNING_SECRET,
				headers: { 'x-partner-auth': 'pv-123', [SIGNATURE_HEADER]: 'deadbeef' },
			});
			expect(badSignature.response.statusCode).toBe(401);
			expect((badSignature.response.body as IDataObject).message).toContain(`"${SIGNATURE_HEADER}"`);
		});

		it('checks the header alone without a signing secret', async () => {
			const ok = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, headers: { 'x-partner-auth': 'pv-123' } });
			expect(events(ok.items)).toEqual(['partner.channel_live']);
			const wrong = await deliver({ raw: CHANNEL_LIVE_RAW, parameters, headers: { 'x-partner-auth': 'pv-124' } });
			expect(wrong.response.statusCode).toBe(401);
		});
	});
});

describe('publishing refuses settings that could never work as chosen', () => {
	async function create(parameters: INodeParameters, credentials: ICredentialDataDecryptedObject) {
		return await runHookMethod({
			nodes: [partnerNode(parameters)],
			connections: {},
			nodeTypes,
			credentials: { dialog360PartnerApi: credentials },
			credentialTypes,
			nodeName: PARTNER_TRIGGER_NAME,
			method: 'create',
		}).then(
			() => undefined,
			(thrown: unknown) => thrown as NodeOperationError,
		);
	}

	it('Custom with no event names', async () => {
		const error = await create({ preset: 'custom', events: [], otherEvents: ' , ' }, hubCredentials);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('No events are selected');
		expect(error?.description).toMatch(/pick at least one name in Event Names or Other Event Names/);
	});

	it('Signature Required with a credential that has no signing secret', async () => {
		const error = await create({ authentication: 'signatureRequired' }, hubCredentials);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('The credential has no Webhook Signing Secret');
	});
});

describe('webhook(): malformed elements', () => {
	const raw = JSON.stringify([{ id: 'evt_ok', event: 'account_violation', data: { violation_type: 'SCAM' } }, 'broken', { id: 'evt_2', event: 'channel_live', data: {} }]);

	it('keeps the valid events of a list beside a broken element, and the element under All Events', async () => {
		const all = await deliver({ raw });
		expect(events(all.items)).toEqual(['partner.account_violation', 'unknown', 'partner.channel_live']);
		expect(all.items?.[1]).toMatchObject({ path: '$[1]', value: 'broken' });
		const alerts = await deliver({ raw, parameters: { preset: 'alerts' } });
		expect(events(alerts.items)).toEqual(['partner.account_violation']);
	});

	it('selects malformed elements by the name unknown', async () => {
		const custom = await deliver({ raw, parameters: { preset: 'custom', events: ['unknown'] } });
		expect(events(custom.items)).toEqual(['unknown']);
		const other = await deliver({ raw, parameters: { preset: 'alerts', otherEvents: 'Unknown' } });
		expect(events(other.items)).toEqual(['partner.account_violation', 'unknown']);
	});
});

describe('webhook(): presets and severity', () => {
	/** One batch of events whose preset membership and severity follow from the catalog. */
	const batch = [
		partnerEvent('channel_live', { id: 'ch1', status: 'ready' }, 'e1'), // lifecycle, info
		partnerEvent('channel_permission_revoked', { id: 'ch1' }, 'e2'), // permissions (lifecycle preset), warning
		partnerEvent('phone_number_quality_changed', { previous_quality_rating: 'GREEN', current_quality_rating: 'YELLOW' }, 'e3'), // drop: alert, warning
		partnerEvent('phone_number_quality_changed', { previous_quality_rating: 'YELLOW', current_quality_rating: 'GREEN' }, 'e4'), // rise: info
		partnerEvent('waba_template_status_changed', { id: '2044166682973889', template: { name: 'promo', new_status: 'PAUSED' } }, 'e5'), // alert, warning
		partnerEvent('waba_template_status_changed', { id: '2044166682973889', template: { name: 'promo', new_status: 'APPROVED' } }, 'e6'), // info
		partnerEvent('account_violation', { violation_type: 'SPAM' }, 'e7'), // alert, critical
		partnerEvent('endpoint_error_rate', { flow_id: 'f1' }, 'e8'), // flow endpoint: alert, warning
		partnerEvent('brand_new_event', { anything: true }, 'e9'), // not in the catalog
		partnerEvent('DISABLED_UPDATE', { ban_state: 'DISABLE' }, 'e10'), // upper case: alert, critical
	];
	const raw = JSON.stringify(batch);
	const ids = (items: IDataObject[] | undefined) => items?.map((item) => item.eventId);

	it('All Events keeps every event, including one outside the catalog', async () => {
		const { items } = await deliver({ raw, parameters: { preset: 'all' } });
		expect(ids(items)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10']);
		expect(items?.map((item) => item.severity)).toEqual([
			'info',
			'warning',
			'warning',
			'info',
			'warning',
			'info',
			'critical',
			'warning',
			'info',
			'critical',
		]);
		expect(items?.[9]).toMatchObject({ event: 'partner.disabled_update', partnerEvent: 'DISABLED_UPDATE' });
	});

	it.each([
		// Quality drop yes, rise no; PAUSED yes, APPROVED no; violation, flow endpoint, ban (any case) yes.
		['alerts', {}, ['e3', 'e5', 'e7', 'e8', 'e10']],
		['lifecycle', {}, ['e1', 'e2']],
		['templates', {}, ['e5', 'e6']],
		['custom', { events: ['channel_live', 'disabled_update'] }, ['e1', 'e10']],
		['custom', { events: [], otherEvents: 'Brand_New_Event' }, ['e9']],
		['custom', { events: ['account_violation'], otherEvents: ' CHANNEL_live ,\nendpoint_ERROR_rate' }, ['e1', 'e7', 'e8']],
		['templates', { otherEvents: 'Channel_Live' }, ['e1', 'e5', 'e6']],
	])('preset %s %j keeps the right events', async (preset, extra, expected) => {
		const { items } = await deliver({ raw, parameters: { preset, ...extra } });
		expect(ids(items)).toEqual(expected);
	});

	it('All Events ignores Other Event Names (they only widen the other presets)', async () => {
		const { items } = await deliver({ raw, parameters: { preset: 'all', otherEvents: 'channel_live' } });
		expect(items).toHaveLength(batch.length);
	});

	it.each([
		['all', 'warning', ['e2', 'e3', 'e5', 'e7', 'e8', 'e10']],
		['all', 'critical', ['e7', 'e10']],
		['alerts', 'critical', ['e7', 'e10']],
		['templates', 'warning', ['e5']],
	])('preset %s with Only At Least %s', async (preset, minSeverity, expected) => {
		const { items } = await deliver({ raw, parameters: { preset, minSeverity } });
		expect(ids(items)).toEqual(expected);
	});

	it('an unknown event passes under All Events but not under Templates', async () => {
		const single = JSON.stringify(partnerEvent('brand_new_event', {}, 'u1'));
		expect(events((await deliver({ raw: single, parameters: { preset: 'all' } })).items)).toEqual(['partner.brand_new_event']);
		const templates = await deliver({ raw: single, parameters: { preset: 'templates' } });
		expect(templates.webhookResponse.workflowData).toBeUndefined();
		expect(templates.response).toMatchObject({ statusCode: 200, body: { received: 1, started: false } });
	});
});

describe('webhook(): bodies and dedup', () => {
	it('splits a JSON array batch into one item per event', async () => {
		const raw = JSON.stringify([partnerEvent('channel_created', { id: 'chNEW' }), partnerEvent('channel_live', { id: 'chLIVE' })]);
		const { items } = await deliver({ raw });
		expect(items?.map((item) => [item.event, item.channelId])).toEqual([
			['partner.channel_created', 'chNEW'],
			['partner.channel_live', 'chLIVE'],
		]);
	});

	it('drops a redelivery with the same event id', async () => {
		const first = await deliver({ raw: CHANNEL_LIVE_RAW });
		expect(events(first.items)).toEqual(['partner.channel_live']);

		const again = await deliver({ raw: CHANNEL_LIVE_RAW, staticData: first.staticData });
		expect(again.webhookResponse.workflowData).toBeUndefined();
		expect(again.response.body).toEqual({
			received: 1,
			started: false,
			filteredOut: 0,
			duplicates: 1,
			reason:
				'1 event(s) were delivered before (Skip Duplicate Deliveries), so no execution started. While the editor listens for a test event, it keeps waiting for one that matches.',
		});

		// The id is the identity: a redelivery with a later timestamp is still the same event.
		const retried = JSON.stringify({ ...(JSON.parse(CHANNEL_LIVE_RAW) as IDataObject), timestamp: '2024-06-03T12:00:00Z' });
		expect((await deliver({ raw: retried, staticData: first.staticData })).webhookResponse.workflowData).toBeUndefined();

		const other = JSON.stringify({ ...(JSON.parse(CHANNEL_LIVE_RAW) as IDataObject), id: 'evt_2' });
		expect(events((await deliver({ raw: other, staticData: first.staticData })).items)).toEqual(['partner.channel_live']);
	});

	it('dedups events without an id by content', async () => {
		const raw = JSON.stringify(partnerEvent('channel_created', { id: 'chNEW' }));
		const first = await deliver({ raw });
		expect((await deliver({ raw, staticData: first.staticData })).webhookResponse.workflowData).toBeUndefined();
		const different = JSON.stringify(partnerEvent('channel_created', { id: 'chOTHER' }));
		expect(events((await deliver({ raw: different, staticData: first.staticData })).items)).toEqual(['partner.channel_created']);
	});

	it('runs a redelivery again with Skip Duplicate Deliveries off', async () => {
		const first = await deliver({ raw: CHANNEL_LIVE_RAW, parameters: { dedupe: false } });
		const again = await deliver({ raw: CHANNEL_LIVE_RAW, parameters: { dedupe: false }, staticData: first.staticData });
		expect(events(again.items)).toEqual(['partner.channel_live']);
	});

	it.each([
		['a string', '"channel_live"', 'channel_live'],
		['a number', '7', 7],
	])('answers 400 to %s body, even when it is correctly signed', async (_label, raw, body) => {
		const { response, webhookResponse } = await deliver({ raw, body, signingSecret: SIGNING_SECRET, headers: signed(raw) });
		expect(response.statusCode).toBe(400);
		expect((response.body as IDataObject).message).toMatch(/must be a JSON object/);
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('keeps a list that is not Partner Hub events as one unknown item', async () => {
		const raw = '[1,2,3]';
		const { items } = await deliver({ raw });
		expect(items).toHaveLength(1);
		expect(items?.[0]).toMatchObject({ kind: 'unknown', source: 'unknown', value: [1, 2, 3] });
		expect(typeof items?.[0].problem).toBe('string');
	});

	it('Include Request Headers redacts the signature and the custom header', async () => {
		const { items } = await deliver({
			raw: CHANNEL_LIVE_RAW,
			signingSecret: SIGNING_SECRET,
			parameters: { authentication: 'customHeader', headerName: 'X-Partner-Auth', headerValue: 'pv-123', options: { includeHeaders: true } },
			headers: { 'x-partner-auth': 'pv-123', ...signed(CHANNEL_LIVE_RAW), 'x-request-id': 'r-9' },
		});
		expect(items?.[0].headers).toEqual({
			'content-type': 'application/json',
			'x-partner-auth': '[redacted]',
			[SIGNATURE_HEADER]: '[redacted]',
			'x-request-id': 'r-9',
		});
	});

	it('Include Raw Payload keeps the whole event envelope', async () => {
		const { items } = await deliver({ raw: CHANNEL_LIVE_RAW, parameters: { options: { includeRaw: true } } });
		expect(items?.[0].raw).toEqual(JSON.parse(CHANNEL_LIVE_RAW));
	});
});
