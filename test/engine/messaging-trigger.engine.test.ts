/**
 * The messaging trigger (360dialog Trigger) through n8n's real HookContext and WebhookContext:
 * webhook registration against a mocked Messaging API, and webhook() on deliveries.
 */
import nock from 'nock';
import { NodeApiError, type ICredentialDataDecryptedObject, type IDataObject, type INodeParameters, type WebhookSetupMethodNames } from 'n8n-workflow';

import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { runHookMethod, runWebhookTrigger, type RunWebhookTriggerResult, type WebhookRequest } from './harness';
import { corpusAvailable, corpusFiles, corpusPayload, corpusText } from '../support/corpus';
import {
	API_KEY,
	CLOUD_BASE_URL,
	cloudCredentials,
	credentialTypes,
	CUSTOM_BASE_URL,
	customCredentials,
	messagingNode,
	MESSAGING_WEBHOOK_ID,
	nodeStatic,
	nodeTypes,
	OUR_DESTINATION_NAME,
	OUR_MESSAGING_URL,
	TRIGGER_NAME,
} from '../support/trigger-fixtures';
import {
	change,
	cloudEnvelope,
	echoValue,
	imageMessage,
	messagesValue,
	OTHER_PHONE_NUMBER_ID,
	PHONE_NUMBER_ID,
	status,
	textMessage,
	WABA_ID,
} from '../support/payloads';

const STATE_KEY = `node:${TRIGGER_NAME}`;
const OLD_URL = 'https://old-crm.example.com/whatsapp/hook';
const OLD_HEADERS = { Authorization: 'Basic b2xkOmNybQ==' };
const SOMEONE_ELSES_URL = 'https://someone-else.example.org/hook';
const SECRET = 'f'.repeat(64);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

// ---------------------------------------------------------------------------------------------
// Lifecycle: webhookMethods.default.checkExists / create / delete
// ---------------------------------------------------------------------------------------------

interface HookCall {
	parameters?: INodeParameters;
	staticData?: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	/** The URL n8n hands the node; defaults to the production URL. */
	webhookUrl?: string;
	mode?: 'webhook' | 'manual';
	activation?: 'activate' | 'init' | 'manual';
}

async function hook(method: WebhookSetupMethodNames, call: HookCall) {
	return await runHookMethod({
		nodes: [messagingNode(call.parameters)],
		connections: {},
		nodeTypes,
		credentials: { dialog360Api: call.credentials },
		credentialTypes,
		nodeName: TRIGGER_NAME,
		method,
		staticData: call.staticData,
		...(call.webhookUrl ? { webhookUrl: call.webhookUrl } : {}),
		...(call.mode ? { mode: call.mode } : {}),
		...(call.activation ? { activation: call.activation } : {}),
	});
}

const stateOf = (staticData: IDataObject): IDataObject => staticData[STATE_KEY] as IDataObject;

describe.each([
	['Cloud', cloudCredentials, CLOUD_BASE_URL],
	['custom base URL', customCredentials, CUSTOM_BASE_URL],
])('registration with the %s Messaging API', (_label, credentials, baseUrl) => {
	/** Every request must carry the credential's key: nock refuses requests without it. */
	const api = () => nock(baseUrl, { reqheaders: { 'D360-API-KEY': API_KEY } });

	describe('Replace Number Webhook', () => {
		it('create saves the previous URL and headers, then registers our URL with a fresh secret', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OLD_URL, headers: OLD_HEADERS })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, { url: OUR_MESSAGING_URL });

			const { result, staticData } = await hook('create', { credentials });

			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
			const state = stateOf(staticData);
			expect(state.previous).toEqual({ url: OLD_URL, headers: OLD_HEADERS });
			expect(state.secret).toMatch(/^[0-9a-f]{64}$/);
			expect(posted).toEqual([{ url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: state.secret } }]);
		});

		it('create generates a different secret for a new registration', async () => {
			const secrets: string[] = [];
			for (let i = 0; i < 2; i++) {
				api().get('/v1/configs/webhook').reply(200, { url: OLD_URL }).post('/v1/configs/webhook').reply(200, {});
				const { staticData } = await hook('create', { credentials });
				secrets.push(stateOf(staticData).secret as string);
			}
			expect(secrets[0]).not.toBe(secrets[1]);
		});

		it('re-activation keeps the saved previous URL and the known secret instead of saving our own URL', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { staticData } = await hook('create', {
				credentials,
				staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET }),
			});

			expect(scope.isDone()).toBe(true);
			expect(stateOf(staticData)).toEqual({ previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET });
			expect(posted).toEqual([{ url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } }]);
		});

		it('re-activation after the static data was lost does not save our own URL as previous', async () => {
			// checkExists answers false without a stored secret, so n8n calls create while the number
			// still points here. Saving our URL as "previous" would make deactivation point it back here.
			api().get('/v1/configs/webhook').reply(200, { url: OUR_MESSAGING_URL }).post('/v1/configs/webhook').reply(200, {});

			const { staticData } = await hook('create', { credentials });

			const previous = stateOf(staticData).previous as IDataObject | undefined;
			expect(previous?.url).not.toBe(OUR_MESSAGING_URL);
		});

		it('re-registration at start takes back the secret 360dialog holds for our URL instead of making a new one', async () => {
			// The stored secret is gone (static data reset or overwritten): rotating it would leave
			// deliveries already on their way, and any process still holding the old value, refused.
			const posted: unknown[] = [];
			api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { staticData } = await hook('create', { credentials, activation: 'init' });

			expect(stateOf(staticData).secret).toBe(SECRET);
			expect(posted).toEqual([{ url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } }]);
		});

		it('does not save our own URL under another n8n address as previous (N8N_WEBHOOK_URL changed)', async () => {
			const ownElsewhere = `https://n8n-lb.example.com/webhook/${MESSAGING_WEBHOOK_ID}/webhook`;
			const ownTestElsewhere = `https://n8n-lb.example.com/webhook-test/${MESSAGING_WEBHOOK_ID}/webhook?x=1`;
			for (const registered of [ownElsewhere, ownTestElsewhere]) {
				api().get('/v1/configs/webhook').reply(200, { url: registered }).post('/v1/configs/webhook').reply(200, {});
				const { staticData } = await hook('create', {
					credentials,
					activation: 'init',
					staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET }),
				});
				expect(stateOf(staticData)).toEqual({ previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET });
			}
			// Another node's URL on the same n8n is someone else's.
			const otherNode = `http://localhost:5678/webhook/another-webhook-id/webhook`;
			api().get('/v1/configs/webhook').reply(200, { url: otherNode }).post('/v1/configs/webhook').reply(200, {});
			const { staticData } = await hook('create', { credentials });
			expect((stateOf(staticData).previous as IDataObject).url).toBe(otherNode);
		});

		it('listening for a test event saves the published production URL as previous, to put it back afterwards', async () => {
			const testUrl = OUR_MESSAGING_URL.replace('/webhook/', '/webhook-test/');
			api().get('/v1/configs/webhook').reply(200, { url: OUR_MESSAGING_URL }).post('/v1/configs/webhook').reply(200, {});
			const { staticData } = await hook('create', {
				credentials,
				webhookUrl: testUrl,
				mode: 'manual',
				activation: 'manual',
				staticData: nodeStatic(TRIGGER_NAME, { secret: SECRET }),
			});
			expect(stateOf(staticData).previous).toEqual({ url: OUR_MESSAGING_URL });
		});

		it('publish, restart (checkExists/create again), unpublish: the original URL and headers come back', async () => {
			const number = { url: OLD_URL, headers: OLD_HEADERS as Record<string, string> };
			const answer = () => ({ url: number.url, headers: number.headers });
			const register = (body: IDataObject) => {
				number.url = body.url as string;
				number.headers = (body.headers ?? {}) as Record<string, string>;
				return true;
			};
			const published = await (async () => {
				api().get('/v1/configs/webhook').reply(200, answer).post('/v1/configs/webhook', register).reply(200, {});
				return await hook('create', { credentials });
			})();
			const secret = stateOf(published.staticData).secret as string;
			expect(number).toEqual({ url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: secret } });

			// Restart: n8n asks checkExists; registered and stored secret agree, so nothing is written.
			api().get('/v1/configs/webhook').reply(200, answer);
			const exists = await hook('checkExists', { credentials, activation: 'init', staticData: published.staticData });
			expect(exists.result).toBe(true);

			// Restart after the registered header drifted: checkExists says no, create registers the stored secret again.
			number.headers = { [GENERATED_HEADER_NAME]: 'something-else' };
			api().get('/v1/configs/webhook').reply(200, answer);
			expect((await hook('checkExists', { credentials, activation: 'init', staticData: published.staticData })).result).toBe(false);
			api().get('/v1/configs/webhook').reply(200, answer).post('/v1/configs/webhook', register).reply(200, {});
			const recreated = await hook('create', { credentials, activation: 'init', staticData: published.staticData });
			expect(stateOf(recreated.staticData)).toEqual({ previous: { url: OLD_URL, headers: OLD_HEADERS }, secret });
			expect(number.headers).toEqual({ [GENERATED_HEADER_NAME]: secret });

			api().get('/v1/configs/webhook').reply(200, answer).post('/v1/configs/webhook', register).reply(200, {});
			await hook('delete', { credentials, staticData: recreated.staticData });
			expect(number).toEqual({ url: OLD_URL, headers: OLD_HEADERS });
			expect(nock.pendingMocks()).toEqual([]);
		});

		it('create with no webhook configured before remembers an empty previous URL', async () => {
			api().get('/v1/configs/webhook').reply(200, {}).post('/v1/configs/webhook').reply(200, {});
			const { staticData } = await hook('create', { credentials });
			expect(stateOf(staticData).previous).toEqual({ url: '' });
		});

		it('Custom Header mode registers the header the user chose and stores no secret', async () => {
			const posted: unknown[] = [];
			api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OLD_URL })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { staticData } = await hook('create', {
				credentials,
				parameters: { authentication: 'customHeader', headerName: '  X-Webhook-Secret ', headerValue: 'hunter2' },
			});

			expect(posted).toEqual([{ url: OUR_MESSAGING_URL, headers: { 'X-Webhook-Secret': 'hunter2' } }]);
			expect(stateOf(staticData).secret).toBeUndefined();
		});

		it('None registers the URL without headers', async () => {
			const posted: unknown[] = [];
			api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OLD_URL })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { staticData } = await hook('create', { credentials, parameters: { authentication: 'none' } });

			expect(posted).toEqual([{ url: OUR_MESSAGING_URL }]);
			expect(stateOf(staticData)).toEqual({ previous: { url: OLD_URL } });
		});

		it('checkExists is true when the number points at our URL and the secret is known', async () => {
			const scope = api().get('/v1/configs/webhook').reply(200, { url: OUR_MESSAGING_URL });
			const { result } = await hook('checkExists', { credentials, staticData: nodeStatic(TRIGGER_NAME, { secret: SECRET }) });
			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('checkExists is false when the number points at someone else', async () => {
			const scope = api().get('/v1/configs/webhook').reply(200, { url: SOMEONE_ELSES_URL });
			const { result } = await hook('checkExists', { credentials, staticData: nodeStatic(TRIGGER_NAME, { secret: SECRET }) });
			expect(result).toBe(false);
			expect(scope.isDone()).toBe(true);
		});

		it('checkExists is false without asking 360dialog when our secret is not known', async () => {
			// No interceptor: any request would fail the hook (net connect is disabled).
			const { result } = await hook('checkExists', { credentials });
			expect(result).toBe(false);
		});

		it('checkExists needs no stored secret in Custom Header mode', async () => {
			const scope = api().get('/v1/configs/webhook').reply(200, { url: OUR_MESSAGING_URL });
			const { result } = await hook('checkExists', {
				credentials,
				parameters: { authentication: 'customHeader', headerName: 'X-Webhook-Secret', headerValue: 'v' },
			});
			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('delete puts the previous registration back and forgets it', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OUR_MESSAGING_URL })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { result, staticData } = await hook('delete', {
				credentials,
				staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET }),
			});

			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(posted).toEqual([{ url: OLD_URL, headers: OLD_HEADERS }]);
			expect(stateOf(staticData)).toEqual({});
		});

		it('delete leaves a URL someone else registered meanwhile untouched', async () => {
			// Only the GET is mocked: a POST would find no interceptor and fail the hook.
			const scope = api().get('/v1/configs/webhook').reply(200, { url: SOMEONE_ELSES_URL });

			const { result, staticData } = await hook('delete', {
				credentials,
				staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL }, secret: SECRET }),
			});

			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(stateOf(staticData)).toEqual({});
		});

		it('after a test event, restores the published workflow\'s URL with its secret header when 360dialog did not return headers', async () => {
			const testUrl = OUR_MESSAGING_URL.replace('/webhook/', '/webhook-test/');
			const posted: unknown[] = [];
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: testUrl })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});
			await hook('delete', {
				credentials,
				webhookUrl: testUrl,
				staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OUR_MESSAGING_URL }, secret: SECRET }),
			});
			expect(scope.isDone()).toBe(true);
			expect(posted).toEqual([{ url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } }]);
		});

		it('does not add our secret to someone else\'s URL it restores', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OUR_MESSAGING_URL })
				.post('/v1/configs/webhook', (body) => posted.push(body) > 0)
				.reply(200, {});
			await hook('delete', { credentials, staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL }, secret: SECRET }) });
			expect(scope.isDone()).toBe(true);
			expect(posted).toEqual([{ url: OLD_URL }]);
		});

		it('a failed restore raises a NodeApiError naming the previous URL', async () => {
			const scope = api()
				.get('/v1/configs/webhook')
				.reply(200, { url: OUR_MESSAGING_URL })
				.post('/v1/configs/webhook', { url: OLD_URL, headers: OLD_HEADERS })
				.reply(500, { error: 'internal' });

			const attempt = hook('delete', {
				credentials,
				staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL, headers: OLD_HEADERS }, secret: SECRET }),
			});

			const error = await attempt.then(
				() => undefined,
				(thrown: unknown) => thrown,
			);
			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as Error).message).toContain(OLD_URL);
		});
	});

	describe('Add Extra Destination', () => {
		const extra = { registrationMode: 'extraDestination' };
		const destination = (name: string) => ({ name, url: `https://${name}.example.com/hook` });

		it('enables multi-webhook with our destination (POST) when it is disabled', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/multi_webhook')
				.reply(200, { enabled: false, destinations: [] })
				.post('/multi_webhook', (body) => posted.push(body) > 0)
				.reply(200, { message: 'Operation started successfully' });

			const { result, staticData } = await hook('create', { credentials, parameters: extra });

			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
			const state = stateOf(staticData);
			expect(state.destinationName).toBe(OUR_DESTINATION_NAME);
			expect(state.secret).toMatch(/^[0-9a-f]{64}$/);
			expect(posted).toEqual([
				{
					enabled: true,
					destinations: [{ name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: state.secret } }],
				},
			]);
		});

		it('adds our destination (PUT) when multi-webhook is enabled and has room', async () => {
			const put: unknown[] = [];
			const scope = api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [destination('crm'), destination('bi')] })
				.put('/multi_webhook', (body) => put.push(body) > 0)
				.reply(200, { message: 'Operation started successfully' });

			const { staticData } = await hook('create', { credentials, parameters: extra });

			expect(scope.isDone()).toBe(true);
			const secret = stateOf(staticData).secret;
			expect(put).toEqual([
				{ destinations: [{ name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: secret } }] },
			]);
		});

		it('updates our destination (PATCH) when one with our name exists', async () => {
			const patched: unknown[] = [];
			const scope = api()
				.get('/multi_webhook')
				.reply(200, {
					enabled: true,
					destinations: [destination('crm'), destination('bi'), { name: OUR_DESTINATION_NAME, url: 'https://stale.example.com' }],
				})
				.patch('/multi_webhook', (body) => patched.push(body) > 0)
				.reply(200, { message: 'Operation started successfully' });

			await hook('create', { credentials, parameters: extra, staticData: nodeStatic(TRIGGER_NAME, { secret: SECRET }) });

			expect(scope.isDone()).toBe(true);
			expect(patched).toEqual([{ name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL, headers: { [GENERATED_HEADER_NAME]: SECRET } }]);
		});

		it('refuses when 3 other destinations exist, naming them, and writes nothing', async () => {
			const scope = api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [destination('crm'), destination('bi'), destination('bot')] });

			const error = await hook('create', { credentials, parameters: extra }).then(
				() => undefined,
				(thrown: unknown) => thrown as NodeApiError,
			);

			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error?.message).toMatch(/already has 3 extra webhook destinations/);
			expect(error?.description).toContain('crm, bi, bot');
		});

		it('delete removes only our destination', async () => {
			const posted: unknown[] = [];
			const scope = api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [destination('crm'), { name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL }] })
				.post('/multi_webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			const { result, staticData } = await hook('delete', {
				credentials,
				parameters: extra,
				staticData: nodeStatic(TRIGGER_NAME, { destinationName: OUR_DESTINATION_NAME, secret: SECRET }),
			});

			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(posted).toEqual([{ enabled: true, destinations: [destination('crm')] }]);
			expect(stateOf(staticData)).toEqual({});
		});

		it('delete disables multi-webhook when ours was the only destination', async () => {
			const posted: unknown[] = [];
			api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [{ name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL }] })
				.post('/multi_webhook', (body) => posted.push(body) > 0)
				.reply(200, {});

			await hook('delete', { credentials, parameters: extra, staticData: nodeStatic(TRIGGER_NAME, { destinationName: OUR_DESTINATION_NAME }) });

			expect(posted).toEqual([{ enabled: false, destinations: [] }]);
		});

		it('delete writes nothing when our destination is already gone', async () => {
			const scope = api().get('/multi_webhook').reply(200, { enabled: true, destinations: [destination('crm')] });
			const { result } = await hook('delete', { credentials, parameters: extra });
			expect(result).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('a failed removal names the destination', async () => {
			api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [{ name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL }] })
				.post('/multi_webhook')
				.reply(500, { error: 'internal' });

			const error = await hook('delete', { credentials, parameters: extra }).then(
				() => undefined,
				(thrown: unknown) => thrown as Error,
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error?.message).toContain(OUR_DESTINATION_NAME);
		});

		it('checkExists looks for our name with our URL', async () => {
			const secretState = nodeStatic(TRIGGER_NAME, { secret: SECRET });
			api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [destination('crm'), { name: OUR_DESTINATION_NAME, url: OUR_MESSAGING_URL }] });
			expect((await hook('checkExists', { credentials, parameters: extra, staticData: secretState })).result).toBe(true);

			api()
				.get('/multi_webhook')
				.reply(200, { enabled: true, destinations: [{ name: OUR_DESTINATION_NAME, url: 'https://moved.example.com' }] });
			expect((await hook('checkExists', { credentials, parameters: extra, staticData: secretState })).result).toBe(false);

			api().get('/multi_webhook').reply(200, { enabled: true, destinations: [{ name: 'crm', url: OUR_MESSAGING_URL }] });
			expect((await hook('checkExists', { credentials, parameters: extra, staticData: secretState })).result).toBe(false);
			expect(nock.pendingMocks()).toEqual([]);
		});
	});
});

describe('registration errors', () => {
	const refused = async (call: HookCall, method: WebhookSetupMethodNames = 'create') =>
		await hook(method, call).then(
			() => undefined,
			(thrown: unknown) => thrown as NodeApiError,
		);

	it('a refused key says which call, what 360dialog answered (key redacted) and what to check', async () => {
		const scope = nock(CLOUD_BASE_URL)
			.get('/v1/configs/webhook')
			.reply(401, { meta: { success: false, http_code: 401, developer_message: `Invalid api key ${API_KEY}` } });

		const error = await refused({ credentials: cloudCredentials });

		expect(scope.isDone()).toBe(true);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe(`360dialog answered 401 to GET ${CLOUD_BASE_URL}/v1/configs/webhook`);
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toBe(
			'360dialog answered: {"meta":{"success":false,"http_code":401,"developer_message":"Invalid api key [redacted]"}}. ' +
				"The API key was not accepted by 360dialog: check that it is the D360-API-KEY of this number, and that the credential's Environment (Cloud API, On-Premise API, Sandbox) is the number's.",
		);
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});

	it('the secret header sent with a registration never shows in the error', async () => {
		nock(CLOUD_BASE_URL).get('/v1/configs/webhook').reply(200, { url: OLD_URL });
		nock(CLOUD_BASE_URL)
			.post('/v1/configs/webhook')
			.reply(400, { error: 'headers rejected', got: { [GENERATED_HEADER_NAME]: SECRET, note: `was ${SECRET}` } });

		const error = await refused({ credentials: cloudCredentials, staticData: nodeStatic(TRIGGER_NAME, { secret: SECRET }) });

		expect(error?.message).toBe(`360dialog answered 400 to POST ${CLOUD_BASE_URL}/v1/configs/webhook`);
		expect(error?.description).toContain('"note":"was [redacted]"');
		expect(error?.description).toContain(`"${GENERATED_HEADER_NAME}":"[redacted]"`);
		expect(JSON.stringify(error)).not.toContain(SECRET);
	});

	it('a host that does not answer is named as such, never as something 360dialog said', async () => {
		// A closed local port: the connection is refused before anything answers.
		nock.enableNetConnect('127.0.0.1:9');
		try {
			const error = await refused({ credentials: { apiKey: API_KEY, environment: 'custom', baseUrl: 'http://127.0.0.1:9' } });

			expect(error?.message).toBe('Could not reach 127.0.0.1:9 for GET http://127.0.0.1:9/v1/configs/webhook');
			expect(error?.description).toMatch(/^Nothing answered \(.*ECONNREFUSED 127\.0\.0\.1:9\)\. Check the credential's Environment \(or Custom Base URL\), and that this n8n can reach 127\.0\.0\.1:9\.$/);
			expect(error?.description).not.toMatch(/360dialog (said|answered)/);
		} finally {
			nock.disableNetConnect();
		}
	});

	it('a long answer is cut, and a 5xx says to try again later', async () => {
		nock(CLOUD_BASE_URL).get('/v1/configs/webhook').reply(502, 'x'.repeat(2000));

		const error = await refused({ credentials: cloudCredentials });

		expect(error?.message).toBe(`360dialog answered 502 to GET ${CLOUD_BASE_URL}/v1/configs/webhook`);
		expect(error?.description).toContain(`360dialog answered: ${'x'.repeat(500)}… (cut). 360dialog could not handle the call just now`);
	});

	it('a failed restore says what to do by hand, and which call failed with what answer', async () => {
		nock(CLOUD_BASE_URL).get('/v1/configs/webhook').reply(200, { url: OUR_MESSAGING_URL });
		nock(CLOUD_BASE_URL).post('/v1/configs/webhook').reply(500, { error: 'internal' });

		const error = await refused(
			{ credentials: cloudCredentials, staticData: nodeStatic(TRIGGER_NAME, { previous: { url: OLD_URL }, secret: SECRET }) },
			'delete',
		);

		expect(error?.message).toBe(`Could not restore the previous webhook URL "${OLD_URL}"`);
		expect(error?.description).toContain(`Set the webhook back to "${OLD_URL}" in the 360dialog Hub`);
		expect(error?.description).toContain(`360dialog answered 500 to POST ${CLOUD_BASE_URL}/v1/configs/webhook`);
		expect(error?.description).toContain('360dialog answered: {"error":"internal"}');
	});
});

// ---------------------------------------------------------------------------------------------
// webhook(): deliveries
// ---------------------------------------------------------------------------------------------

interface Delivery {
	parameters?: INodeParameters;
	typeVersion?: number;
	body: unknown;
	headers?: Record<string, string>;
	staticData?: IDataObject;
	webhookName?: string;
	method?: WebhookRequest['method'];
	query?: Record<string, string>;
}

/** Generated-header mode with a stored secret, and a request that carries it, unless told otherwise. */
async function deliver(delivery: Delivery): Promise<RunWebhookTriggerResult & { items: IDataObject[] | undefined }> {
	const result = await runWebhookTrigger({
		nodes: [messagingNode(delivery.parameters, delivery.typeVersion)],
		connections: {},
		nodeTypes,
		credentials: { dialog360Api: cloudCredentials },
		credentialTypes,
		staticData: delivery.staticData ?? nodeStatic(TRIGGER_NAME, { secret: SECRET }),
		triggerNodeName: TRIGGER_NAME,
		webhookName: delivery.webhookName,
		request: {
			method: delivery.method,
			query: delivery.query,
			headers: delivery.headers ?? { 'content-type': 'application/json', [GENERATED_HEADER_NAME]: SECRET },
			body: delivery.body,
		},
	});
	return { ...result, items: result.webhookResponse.workflowData?.[0].map((item) => item.json) };
}

const events = (items: IDataObject[] | undefined) => items?.map((item) => item.event);

const oneText = cloudEnvelope([change('messages', messagesValue({ messages: [textMessage('wamid.T1', 'hello')] }))]);

describe('webhook(): authentication', () => {
	it('starts one item per event when the generated secret matches', async () => {
		const body = cloudEnvelope([
			change(
				'messages',
				messagesValue({ messages: [textMessage('wamid.A', 'hi'), imageMessage('wamid.B')], statuses: [status('wamid.OUT', 'delivered')] }),
			),
		]);

		const { items, run, response } = await deliver({ body });

		expect(events(items)).toEqual(['message.text', 'message.image', 'status.delivered']);
		expect(items?.[0]).toMatchObject({
			kind: 'message',
			source: 'cloud',
			messageId: 'wamid.A',
			text: 'hi',
			from: '4915112345678',
			contactName: 'Ada',
			wabaId: WABA_ID,
			phoneNumberId: PHONE_NUMBER_ID,
		});
		expect(items?.[2]).toMatchObject({ kind: 'status', status: 'delivered', messageId: 'wamid.OUT' });
		// The node answers itself (so n8n saves the dedup memory before the run starts), then runs.
		expect(response).toMatchObject({ statusCode: 200, body: { received: 3, started: true, events: 3 } });
		expect(run?.status).toBe('success');
	});

	it('answers 401 JSON naming the header when the secret is wrong, and starts nothing', async () => {
		const { response, webhookResponse, run } = await deliver({
			body: oneText,
			headers: { [GENERATED_HEADER_NAME]: 'e'.repeat(64) },
		});

		expect(response.statusCode).toBe(401);
		expect(response.headers['content-type']).toBe('application/json');
		expect((response.body as IDataObject).message).toContain(`"${GENERATED_HEADER_NAME}"`);
		expect(webhookResponse.workflowData).toBeUndefined();
		expect(run).toBeUndefined();
	});

	it('answers 401 when the secret header is missing', async () => {
		const { response, webhookResponse } = await deliver({ body: oneText, headers: { 'content-type': 'application/json' } });
		expect(response.statusCode).toBe(401);
		expect((response.body as IDataObject).message).toMatch(/^Missing the "x-n8n-360dialog-auth" header/);
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('answers 401 when no secret was ever registered, even for an empty header', async () => {
		const { response, webhookResponse } = await deliver({ body: oneText, staticData: {}, headers: { [GENERATED_HEADER_NAME]: '' } });
		expect(response.statusCode).toBe(401);
		expect((response.body as IDataObject).message).toContain('No secret is registered');
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('checks authentication before the body: a bad body without the secret is 401, not 400', async () => {
		const { response } = await deliver({ body: 'not json', headers: {} });
		expect(response.statusCode).toBe(401);
	});

	it('accepts any request with Authentication None', async () => {
		const { items } = await deliver({ body: oneText, parameters: { authentication: 'none' }, headers: {}, staticData: {} });
		expect(events(items)).toEqual(['message.text']);
	});

	it('checks the custom header by name (any case) and value', async () => {
		const parameters = { authentication: 'customHeader', headerName: ' X-Webhook-Secret ', headerValue: 'hunter2' };

		const ok = await deliver({ body: oneText, parameters, headers: { 'x-webhook-secret': 'hunter2' } });
		expect(events(ok.items)).toEqual(['message.text']);

		const wrong = await deliver({ body: oneText, parameters, headers: { 'X-Webhook-Secret': 'hunter3' } });
		expect(wrong.response.statusCode).toBe(401);
		expect((wrong.response.body as IDataObject).message).toContain('"X-Webhook-Secret"');
		expect(wrong.webhookResponse.workflowData).toBeUndefined();

		// The generated header does not stand in for the custom one.
		const generated = await deliver({ body: oneText, parameters, headers: { [GENERATED_HEADER_NAME]: SECRET } });
		expect(generated.response.statusCode).toBe(401);
	});
});

describe('webhook(): event filters', () => {
	/**
	 * One delivery with one event of every kind the filters distinguish:
	 * entry 1 (phone A): text, image, new type "hologram"; statuses delivered, read; a value-level
	 * error; a template status update; an account update; an echo; an unknown change field.
	 * entry 2 (phone B): a text.
	 */
	const mixed = cloudEnvelope(
		[
			change(
				'messages',
				messagesValue({
					messages: [textMessage('wamid.M1', 'one'), imageMessage('wamid.M2'), { from: '4915112345678', id: 'wamid.M3', timestamp: '1717430402', type: 'hologram', hologram: {} }],
				}),
			),
			change('messages', messagesValue({ statuses: [status('wamid.S1', 'delivered'), status('wamid.S2', 'read')] })),
			change('messages', messagesValue({ errors: [{ code: 131000, title: 'Something went wrong' }] })),
			change('message_template_status_update', { event: 'APPROVED', message_template_id: 123, message_template_name: 'welcome', message_template_language: 'en' }),
			change('account_update', { phone_number: '15550001111', event: 'VERIFIED_ACCOUNT' }),
			change('smb_message_echoes', echoValue('wamid.E1', 'sent from the app')),
			change('brand_new_field', { something: 1 }),
		],
		[change('messages', messagesValue({ messages: [textMessage('wamid.M4', 'four')] }, OTHER_PHONE_NUMBER_ID))],
	);
	const ALL = [
		'message.text',
		'message.image',
		'message.hologram',
		'status.delivered',
		'status.read',
		'error',
		'template.status',
		'account.update',
		'echo.text',
		'unknown',
		'message.text',
	];

	it('lets every event through by default (All Events)', async () => {
		const { items } = await deliver({ body: mixed });
		expect(events(items)).toEqual(ALL);
	});

	it.each([
		['a message type', ['message.text'], ['message.text', 'message.text']],
		['a message type in another case', ['Message.Image'], ['message.image']],
		['all statuses', ['group:statuses'], ['status.delivered', 'status.read']],
		['one status value', ['status.read'], ['status.read']],
		['errors', ['group:errors'], ['error']],
		['template updates', ['group:templates'], ['template.status']],
		['account updates', ['group:account'], ['account.update']],
		['echoes', ['group:echoes'], ['echo.text']],
		['unknown events (a new message type and a new change field)', ['group:unknown'], ['message.hologram', 'unknown']],
		['a mix of a name and a group', ['status.delivered', 'group:errors'], ['status.delivered', 'error']],
		['All Events left selected beside a message type: the specific choice wins', ['*', 'message.text'], ['message.text', 'message.text']],
		['All Events beside a group', ['group:statuses', '*'], ['status.delivered', 'status.read']],
	])('Events = %s', async (_label, picked, expected) => {
		const { items } = await deliver({ body: mixed, parameters: { events: picked } });
		expect(events(items)).toEqual(expected);
	});

	it('keeps the valid messages of a body with a null contact, and the bad element only when Unknown is selected', async () => {
		const body = cloudEnvelope([
			change('messages', { ...messagesValue({ messages: [textMessage('wamid.N1', 'one'), textMessage('wamid.N2', 'two')] }), contacts: [null, { profile: { name: 'Ada' }, wa_id: '4915112345678' }] }),
		]);
		const messagesOnly = await deliver({ body, parameters: { events: ['group:messages'] } });
		expect(messagesOnly.items?.map((item) => [item.event, item.messageId, item.contactName])).toEqual([
			['message.text', 'wamid.N1', 'Ada'],
			['message.text', 'wamid.N2', 'Ada'],
		]);
		const withUnknown = await deliver({ body, parameters: { events: ['group:messages', 'group:unknown'] } });
		expect(withUnknown.items?.map((item) => item.event)).toEqual(['unknown', 'message.text', 'message.text']);
		expect(withUnknown.items?.[0]).toMatchObject({ path: '$.entry[0].changes[0].value.contacts[0]', value: null, problem: '`contacts` must hold objects, got null' });
	});

	it('reads each body of a top-level list of Cloud bodies', async () => {
		const one = cloudEnvelope([change('messages', messagesValue({ messages: [textMessage('wamid.L1', 'one')] }))]);
		const two = cloudEnvelope([change('messages', messagesValue({ statuses: [status('wamid.L0', 'read')] }))]);
		const { items } = await deliver({ body: [one, two] });
		expect(items?.map((item) => item.event)).toEqual(['message.text', 'status.read']);
	});

	it('Phone Number IDs keeps events of the listed numbers and events without a number', async () => {
		const { items } = await deliver({ body: mixed, parameters: { options: { phoneNumberIds: ` ${OTHER_PHONE_NUMBER_ID} ,999` } } });
		// Template, account and unknown changes carry no metadata, so no phone number id.
		expect(events(items)).toEqual(['template.status', 'account.update', 'unknown', 'message.text']);
		expect(items?.[3]).toMatchObject({ messageId: 'wamid.M4', phoneNumberId: OTHER_PHONE_NUMBER_ID });
	});

	it('Ignore Echoes drops only the echo', async () => {
		const { items } = await deliver({ body: mixed, parameters: { options: { ignoreEchoes: true } } });
		expect(events(items)).toEqual(ALL.filter((event) => event !== 'echo.text'));
	});

	it('version 3: Specific Events add to the groups, and with All Events only they start the workflow', async () => {
		const v3 = async (parameters: INodeParameters) => events((await deliver({ body: mixed, parameters, typeVersion: 3 })).items);
		expect(await v3({ events: ['*'], specificEvents: ['echo.text', 'template.status'] })).toEqual(
			ALL.filter((event) => event === 'echo.text' || event === 'template.status'),
		);
		expect(await v3({ events: ['group:messages'], specificEvents: ['echo.text'] })).toEqual(
			ALL.filter((event) => event.startsWith('message.') || event === 'echo.text'),
		);
		expect(await v3({})).toEqual(ALL);
	});

	it('answers 200 and starts nothing when the filter leaves nothing', async () => {
		const { response, webhookResponse, run, staticData } = await deliver({ body: oneText, parameters: { events: ['group:templates'] } });
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({
			received: 1,
			started: false,
			filteredOut: 1,
			duplicates: 0,
			reason:
				"1 event(s) (message.text) do not match this node's Events setting, so no execution started. While the editor listens for a test event, it keeps waiting for one that matches.",
		});
		expect(webhookResponse.workflowData).toBeUndefined();
		expect(run).toBeUndefined();
		// Filtered events are not remembered as seen: a later filter change still lets them through.
		expect((staticData[`node:${TRIGGER_NAME}`] as IDataObject).seen).toBeUndefined();
	});
});

describe('webhook(): duplicate deliveries', () => {
	it('starts nothing for the same delivery twice', async () => {
		const first = await deliver({ body: oneText });
		expect(events(first.items)).toEqual(['message.text']);

		const second = await deliver({ body: oneText, staticData: first.staticData });
		expect(second.webhookResponse.workflowData).toBeUndefined();
		expect(second.response).toMatchObject({ statusCode: 200, body: { received: 1, started: false } });
	});

	it('passes a new status value for the same message, but not a repeated one', async () => {
		const sent = cloudEnvelope([change('messages', messagesValue({ statuses: [status('wamid.OUT', 'sent')] }))]);
		const delivered = cloudEnvelope([change('messages', messagesValue({ statuses: [status('wamid.OUT', 'delivered')] }))]);

		const first = await deliver({ body: sent });
		const second = await deliver({ body: delivered, staticData: first.staticData });
		expect(events(second.items)).toEqual(['status.delivered']);

		const third = await deliver({ body: delivered, staticData: second.staticData });
		expect(third.webhookResponse.workflowData).toBeUndefined();
	});

	it('keeps only the unseen events of a partly repeated delivery', async () => {
		const first = await deliver({ body: oneText });
		const both = cloudEnvelope([change('messages', messagesValue({ messages: [textMessage('wamid.T1', 'hello'), textMessage('wamid.T2', 'again')] }))]);
		const second = await deliver({ body: both, staticData: first.staticData });
		expect(second.items?.map((item) => item.messageId)).toEqual(['wamid.T2']);
	});

	it('runs both deliveries and keeps no memory with Skip Duplicate Deliveries off', async () => {
		const first = await deliver({ body: oneText, parameters: { dedupe: false } });
		const second = await deliver({ body: oneText, parameters: { dedupe: false }, staticData: first.staticData });
		expect(events(first.items)).toEqual(['message.text']);
		expect(events(second.items)).toEqual(['message.text']);
		expect(second.staticData[`node:${TRIGGER_NAME}`]).toEqual({ secret: SECRET });
	});
});

describe('webhook(): bodies', () => {
	it('splits a batch of 2 entries × 2 changes into one item per event', async () => {
		const body = cloudEnvelope(
			[
				change('messages', messagesValue({ messages: [textMessage('wamid.B1', 'a'), textMessage('wamid.B2', 'b')] })),
				change('messages', messagesValue({ statuses: [status('wamid.B0', 'read')] })),
			],
			[
				change('messages', messagesValue({ messages: [textMessage('wamid.B3', 'c')] }, OTHER_PHONE_NUMBER_ID)),
				change('message_template_status_update', { event: 'PAUSED', message_template_id: 9, message_template_name: 'promo' }),
			],
		);

		const { items } = await deliver({ body });

		expect(items?.map((item) => [item.event, item.wabaId])).toEqual([
			['message.text', WABA_ID],
			['message.text', WABA_ID],
			['status.read', WABA_ID],
			['message.text', `${WABA_ID}1`],
			['template.status', `${WABA_ID}1`],
		]);
		// The paused template is the one warning of the batch.
		expect(items?.map((item) => item.severity)).toEqual(['info', 'info', 'info', 'info', 'warning']);
	});

	it('accepts On-Premise bodies', async () => {
		const body = {
			contacts: [{ profile: { name: 'Ada' }, wa_id: '4915112345678' }],
			messages: [textMessage('ABGGFlA5FpafAgo6EhnEhTOQrZS', 'hello from on-prem')],
			statuses: [status('gBGGFlA5FpafAgkqkU4lZIz0TOg', 'read')],
		};

		const { items } = await deliver({ body, parameters: { options: { phoneNumberIds: PHONE_NUMBER_ID } } });

		// On-Premise events have no phone number id, so the phone number filter lets them through.
		expect(items?.map((item) => [item.source, item.event, item.phoneNumberId])).toEqual([
			['on_premise', 'message.text', null],
			['on_premise', 'status.read', null],
		]);
		expect(items?.[0]).toMatchObject({ text: 'hello from on-prem', contactName: 'Ada' });
	});

	it.each([
		['a string', 'hello'],
		['a number', 42],
		['null', null],
	])('answers 400 JSON to %s body and starts nothing', async (_label, body) => {
		const { response, webhookResponse } = await deliver({ body });
		expect(response.statusCode).toBe(400);
		expect(response.headers['content-type']).toBe('application/json');
		expect((response.body as IDataObject).message).toMatch(/must be a JSON object/);
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('keeps an unrecognised object whole as one unknown item with the problem', async () => {
		const body = { hello: 'world', nested: { n: 1 } };
		const { items } = await deliver({ body });
		expect(items).toHaveLength(1);
		expect(items?.[0]).toMatchObject({ kind: 'unknown', event: 'unknown', source: 'unknown', value: body });
		expect(items?.[0].problem).toMatch(/not a 360dialog webhook/);
	});

	it('keeps a Cloud body with a broken container as an unknown item naming where', async () => {
		const body = { object: 'whatsapp_business_account', entry: 'not a list' };
		const { items } = await deliver({ body });
		expect(items).toHaveLength(1);
		expect(items?.[0]).toMatchObject({ kind: 'unknown', source: 'cloud', value: 'not a list', path: '$.entry' });
		expect(items?.[0].problem).toBe('`entry` must be a list, got the string "not a list"');
	});

	it('echoes hub.challenge as text on GET', async () => {
		const { response, webhookResponse } = await deliver({
			webhookName: 'setup',
			method: 'GET',
			body: {},
			headers: {},
			query: { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'x' },
		});
		expect(response.statusCode).toBe(200);
		expect(response.body).toBe('1158201444');
		expect(response.headers['content-type']).toBe('text/plain');
		expect(webhookResponse.workflowData).toBeUndefined();
	});

	it('answers a GET without challenge with a JSON hint', async () => {
		const { response } = await deliver({ webhookName: 'setup', method: 'GET', body: {}, headers: {} });
		expect(response.statusCode).toBe(200);
		expect((response.body as IDataObject).message).toMatch(/POST/);
	});
});

describe('webhook(): options', () => {
	it('Include Request Headers adds the headers with the secret redacted', async () => {
		const { items } = await deliver({
			body: oneText,
			parameters: { options: { includeHeaders: true } },
			headers: { 'Content-Type': 'application/json', 'User-Agent': '360dialog-webhooks/1.0', [GENERATED_HEADER_NAME]: SECRET },
		});
		expect(items?.[0].headers).toEqual({
			'content-type': 'application/json',
			'user-agent': '360dialog-webhooks/1.0',
			[GENERATED_HEADER_NAME]: '[redacted]',
		});
		expect(JSON.stringify(items)).not.toContain(SECRET);
	});

	it('Include Request Headers redacts the custom header', async () => {
		const { items } = await deliver({
			body: oneText,
			parameters: { authentication: 'customHeader', headerName: 'X-Webhook-Secret', headerValue: 'hunter2', options: { includeHeaders: true } },
			headers: { 'x-webhook-secret': 'hunter2', 'x-request-id': 'r1' },
		});
		expect(items?.[0].headers).toEqual({ 'x-webhook-secret': '[redacted]', 'x-request-id': 'r1' });
	});

	it('leaves headers and raw out by default', async () => {
		const { items } = await deliver({ body: oneText });
		expect(items?.[0]).not.toHaveProperty('headers');
		expect(items?.[0]).not.toHaveProperty('raw');
	});

	it('Include Raw Payload keeps each source element under raw', async () => {
		const message = textMessage('wamid.R1', 'raw please');
		const read = status('wamid.R0', 'read');
		const body = cloudEnvelope([change('messages', messagesValue({ messages: [message], statuses: [read] }))]);
		const { items } = await deliver({ body, parameters: { options: { includeRaw: true } } });
		expect(items?.map((item) => item.raw)).toEqual([message, read]);
	});
});

const describeCorpus = corpusAvailable() ? describe : describe.skip;

describeCorpus('webhook(): real payloads from the corpus', () => {
	const file = (path: string) => {
		const found = corpusFiles().find((entry) => entry.path === path);
		if (!found) throw new Error(`corpus file ${path} is not in the manifest`);
		return found;
	};

	it.each(['cloud/message-text.json', 'cloud/status-read.json', 'onprem/message-text.json', 'onprem/status-failed-470.json'])(
		'%s starts as many items as the manifest counts',
		async (path) => {
			const entry = file(path);
			const { items } = await deliver({ body: corpusPayload(entry), parameters: { dedupe: false } });
			const { messages, statuses, errors, other } = entry.expect;
			expect(items).toHaveLength(messages + statuses + errors + other);
		},
	);

	it('the echo example is dropped by Ignore Echoes and kept otherwise', async () => {
		const body = corpusPayload(file('cloud/echo-smb-text.json'));
		expect(events((await deliver({ body })).items)).toEqual(['echo.text']);
		const ignored = await deliver({ body, parameters: { options: { ignoreEchoes: true } } });
		expect(ignored.response.body).toMatchObject({ received: 1, started: false, filteredOut: 1, duplicates: 0 });
	});

	it('a batch with the same message id twice counts as one delivery with dedup on', async () => {
		// Meta's example reuses the placeholder id "wamid.ID" for both messages of the batch.
		const entry = file('cloud/batch-one-entry-two-changes-text.json');
		const body = JSON.parse(corpusText(entry)) as unknown;
		const all = await deliver({ body, parameters: { dedupe: false } });
		expect(all.items?.map((item) => item.text)).toEqual(['MESSAGE_BODY', 'MESSAGE_BODY2']);
		const deduped = await deliver({ body });
		expect(deduped.items?.map((item) => item.text)).toEqual(['MESSAGE_BODY']);
	});
});
