import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { generateSecret, GENERATED_HEADER_NAME } from '../core/security';
import { splitList } from '../core/parameters';
import type { PartnerPreset } from '../core/filter';
import { apiError, messagingApiRequest, PARTNER_CREDENTIAL, partnerApiRequest } from './transport';

/**
 * Webhook registration with 360dialog. A number (and a partner) has exactly one main webhook URL,
 * and there is no DELETE: activation saves what was registered before and points it here;
 * deactivation puts the saved registration back, unless someone has replaced ours meanwhile.
 */

export type Authentication = 'generatedHeader' | 'customHeader' | 'none';
/** The Partner trigger's Header Authentication; `none` checks the signature when a secret is set. */
export type PartnerAuthentication = 'none' | 'signatureRequired' | 'customHeader';
export type RegistrationMode = 'replace' | 'extraDestination';

interface Registration extends IDataObject {
	url: string;
	headers?: IDataObject;
}

interface MessagingState extends IDataObject {
	previous?: Registration;
	secret?: string;
	destinationName?: string;
}

/**
 * What create() always leaves in the node's static data (previous registration, secret, extra
 * destination, partner's previous URL); at least one of these is there while the workflow is
 * published.
 */
const REGISTRATION_KEYS = ['previous', 'secret', 'destinationName', 'previousUrl'] as const;

/**
 * Whether a copy of the node's static data holds its registration, i.e. is the workflow's real static
 * data. n8n saves a run's static data whole when the run changed it, and in queue mode n8n 2.40.7
 * runs an execution on a worker with empty static data: a write there would replace the stored
 * secret and previous URL with nothing.
 */
export const holdsRegistration = (state: IDataObject): boolean =>
	REGISTRATION_KEYS.some((key) => state[key] !== undefined);

const webhookUrlOf = (context: IHookFunctions): string => {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n has no webhook URL for this node');
	return url;
};

/**
 * Whether a registered URL is this node's own webhook: the URL n8n gives it now, or, outside test
 * mode, the same node's production or test URL under another n8n address (N8N_WEBHOOK_URL changed,
 * or a load balancer in front of webhook processes). Such a URL is never "the previous webhook".
 * In test mode the published workflow's production URL is the one to put back, so only an exact
 * match counts there.
 */
function isOwnUrl(context: IHookFunctions, candidate: unknown): boolean {
	if (typeof candidate !== 'string' || candidate === '') return false;
	if (candidate === webhookUrlOf(context)) return true;
	const webhookId = context.getNode().webhookId;
	if (context.getMode() === 'manual' || !webhookId) return false;
	const path = candidate.split(/[?#]/)[0];
	return (
		path.endsWith(`/webhook/${webhookId}/webhook`) ||
		path.endsWith(`/webhook-test/${webhookId}/webhook`)
	);
}

/** The generated secret 360dialog holds for our URL, when its answer shows the headers. */
function registeredSecret(context: IHookFunctions, current: IDataObject): string | undefined {
	if (!isOwnUrl(context, current.url) || !isObject(current.headers)) return undefined;
	const value = current.headers[GENERATED_HEADER_NAME];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The headers 360dialog must send with every delivery, per the node's Authentication setting. The
 * generated secret is made once: a re-registration (n8n runs checkExists/create again at every
 * start) keeps the stored one, or takes back the one 360dialog holds for our URL, so deliveries in
 * flight and webhook processes that read the stored secret keep matching.
 */
function deliveryHeaders(
	context: IHookFunctions,
	state: MessagingState,
	current: IDataObject = {},
): IDataObject | undefined {
	const authentication = context.getNodeParameter(
		'authentication',
		'generatedHeader',
	) as Authentication;
	if (authentication === 'generatedHeader') {
		state.secret ??= registeredSecret(context, current) ?? generateSecret();
		return { [GENERATED_HEADER_NAME]: state.secret };
	}
	if (authentication === 'customHeader') {
		const name = (context.getNodeParameter('headerName', '') as string).trim();
		const value = context.getNodeParameter('headerValue', '') as string;
		return name ? { [name]: value } : undefined;
	}
	return undefined;
}

const stateOf = (context: IHookFunctions): MessagingState =>
	context.getWorkflowStaticData('node') as MessagingState;
const modeOf = (context: IHookFunctions): RegistrationMode =>
	context.getNodeParameter('registrationMode', 'replace') as RegistrationMode;

/** The destination name used in Add Extra Destination mode: one per workflow and node. */
const destinationNameOf = (context: IHookFunctions): string =>
	`n8n-${context.getWorkflow().id ?? 'workflow'}-${context.getNode().id.slice(0, 8)}`;

interface MultiWebhook {
	enabled: boolean;
	destinations: Array<{ name: string; url: string; headers?: IDataObject }>;
}

async function readMultiWebhook(context: IHookFunctions): Promise<MultiWebhook> {
	const response = await messagingApiRequest.call(context, 'GET', '/multi_webhook');
	const destinations = Array.isArray(response.destinations)
		? (response.destinations as MultiWebhook['destinations'])
		: [];
	return { enabled: response.enabled === true, destinations };
}

export const MAX_DESTINATIONS = 3;

export const messagingRegistration = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const url = webhookUrlOf(this);
		const state = stateOf(this);
		const authentication = this.getNodeParameter(
			'authentication',
			'generatedHeader',
		) as Authentication;
		// Without the stored secret we could not authenticate deliveries: register afresh.
		if (authentication === 'generatedHeader' && !state.secret) return false;
		if (modeOf(this) === 'extraDestination') {
			const { destinations } = await readMultiWebhook(this);
			return destinations.some(
				(destination) => destination.name === destinationNameOf(this) && destination.url === url,
			);
		}
		const current = await messagingApiRequest.call(this, 'GET', '/v1/configs/webhook');
		if (current.url !== url) return false;
		// A registered header that no longer matches the stored secret is registered again.
		const registered = isObject(current.headers)
			? current.headers[GENERATED_HEADER_NAME]
			: undefined;
		return (
			authentication !== 'generatedHeader' ||
			registered === undefined ||
			registered === state.secret
		);
	},

	async create(this: IHookFunctions): Promise<boolean> {
		const url = webhookUrlOf(this);
		const state = stateOf(this);
		if (modeOf(this) === 'extraDestination') {
			const headers = deliveryHeaders(this, state);
			const name = destinationNameOf(this);
			const ours = { name, url, ...(headers ? { headers } : {}) };
			const { enabled, destinations } = await readMultiWebhook(this);
			if (!enabled) {
				await messagingApiRequest.call(this, 'POST', '/multi_webhook', {
					enabled: true,
					destinations: [ours],
				});
			} else if (destinations.some((destination) => destination.name === name)) {
				await messagingApiRequest.call(this, 'PATCH', '/multi_webhook', ours);
			} else if (destinations.length >= MAX_DESTINATIONS) {
				throw new NodeApiError(
					this.getNode(),
					{ message: 'Too many webhook destinations' } as JsonObject,
					{
						message: `This number already has ${destinations.length} extra webhook destinations, the most 360dialog allows`,
						description: `Remove one (${destinations.map((destination) => destination.name).join(', ')}) in the 360dialog Hub, or use Replace Number Webhook.`,
					},
				);
			} else {
				await messagingApiRequest.call(this, 'PUT', '/multi_webhook', { destinations: [ours] });
			}
			state.destinationName = name;
			return true;
		}
		const current = await messagingApiRequest.call(this, 'GET', '/v1/configs/webhook');
		const headers = deliveryHeaders(this, state, current);
		// Re-activation (every n8n start) must not save our own URL as "previous".
		if (typeof current.url === 'string' && !isOwnUrl(this, current.url)) {
			state.previous = {
				url: current.url,
				...(isObject(current.headers) ? { headers: current.headers } : {}),
			};
		} else if (state.previous === undefined && typeof current.url !== 'string') {
			state.previous = { url: '' };
		}
		await messagingApiRequest.call(this, 'POST', '/v1/configs/webhook', {
			url,
			...(headers ? { headers } : {}),
		});
		return true;
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		const url = webhookUrlOf(this);
		const state = stateOf(this);
		if (modeOf(this) === 'extraDestination') {
			const name = state.destinationName ?? destinationNameOf(this);
			const { destinations } = await readMultiWebhook(this);
			const remaining = destinations.filter((destination) => destination.name !== name);
			if (remaining.length !== destinations.length) {
				try {
					await messagingApiRequest.call(this, 'POST', '/multi_webhook', {
						enabled: remaining.length > 0,
						destinations: remaining,
					});
				} catch (error) {
					throw apiError(
						this.getNode(),
						error,
						`Could not remove the extra webhook destination "${name}"`,
						`Remove the destination "${name}" (${url}) in the 360dialog Hub.`,
					);
				}
			}
			delete state.destinationName;
			delete state.secret;
			return true;
		}
		const previous = state.previous;
		const current = await messagingApiRequest.call(this, 'GET', '/v1/configs/webhook');
		if (current.url === url && previous !== undefined) {
			try {
				await messagingApiRequest.call(
					this,
					'POST',
					'/v1/configs/webhook',
					withOwnSecret(previous, url, state),
				);
			} catch (error) {
				throw apiError(
					this.getNode(),
					error,
					`Could not restore the previous webhook URL "${previous.url}"`,
					`This number still points at ${url}. Set the webhook back to "${previous.url}" in the 360dialog Hub, or with POST /v1/configs/webhook.`,
				);
			}
		}
		// If someone else registered another URL meanwhile, theirs stays.
		delete state.previous;
		delete state.secret;
		return true;
	},
};

/**
 * Listening for a test event replaces the published workflow's registration, and 360dialog may not
 * return the registered headers on GET. When the URL being restored is this node's production
 * URL, put its secret header back too: test mode starts from the published workflow's static data,
 * so `state.secret` is that secret.
 */
function withOwnSecret(previous: Registration, url: string, state: MessagingState): Registration {
	if (previous.headers !== undefined || !state.secret) return previous;
	if (previous.url !== url.replace('/webhook-test/', '/webhook/')) return previous;
	return { ...previous, headers: { [GENERATED_HEADER_NAME]: state.secret } };
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings under which the Partner trigger could never run, or would run unprotected against the
 * user's choice, stop the publish with what to change rather than leave a silent workflow.
 */
async function refuseUnusableSettings(context: IHookFunctions): Promise<void> {
	const preset = context.getNodeParameter('preset', 'all') as PartnerPreset;
	const events = context.getNodeParameter('events', []) as string[];
	const otherEvents = splitList(context.getNodeParameter('otherEvents', '') as string);
	if (preset === 'custom' && events.length === 0 && otherEvents.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No events are selected', {
			description:
				'With Events set to Custom, pick at least one name in Event Names or Other Event Names, or choose another Events preset. As it is, the trigger could never start the workflow.',
		});
	}
	if (context.getNodeParameter('authentication', 'none') === 'signatureRequired') {
		const credentials = await context.getCredentials(PARTNER_CREDENTIAL);
		if (String(credentials.signingSecret ?? '') === '') {
			throw new NodeOperationError(
				context.getNode(),
				'The credential has no Webhook Signing Secret',
				{
					description:
						'Header Authentication is Signature Required, so every request must be signed. Add the platform secret from Partner Hub → Integration to the 360dialog Partner API credential, or choose Signature If Secret Set.',
				},
			);
		}
	}
}

/**
 * A hint on the Partner trigger's output when its requests are not signature-checked: the credential
 * has no Webhook Signing Secret, so anyone who knows the URL can start the workflow.
 */
export async function warnWhenUnsigned(context: IExecuteFunctions): Promise<void> {
	const credentials = await context.getCredentials(PARTNER_CREDENTIAL);
	if (String(credentials.signingSecret ?? '') !== '') return;
	context.addExecutionHints({
		message:
			'These events were not signature-checked: the 360dialog Partner API credential has no Webhook Signing Secret. Add the platform secret from Partner Hub → Integration so that forged requests are refused.',
		type: 'warning',
		location: 'outputPane',
	});
}

interface PartnerState extends IDataObject {
	previousUrl?: string;
}

export const partnerRegistration = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const current = await partnerApiRequest.call(this, 'GET', '/webhook_url');
		return current.webhook_url === webhookUrlOf(this);
	},

	async create(this: IHookFunctions): Promise<boolean> {
		await refuseUnusableSettings(this);
		const url = webhookUrlOf(this);
		const state = this.getWorkflowStaticData('node') as PartnerState;
		const current = await partnerApiRequest.call(this, 'GET', '/webhook_url');
		const currentUrl = typeof current.webhook_url === 'string' ? current.webhook_url : '';
		if (!isOwnUrl(this, currentUrl)) state.previousUrl = currentUrl;
		await partnerApiRequest.call(this, 'POST', '/webhook_url', { webhook_url: url });
		return true;
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		const url = webhookUrlOf(this);
		const state = this.getWorkflowStaticData('node') as PartnerState;
		const previousUrl = state.previousUrl;
		const current = await partnerApiRequest.call(this, 'GET', '/webhook_url');
		if (current.webhook_url === url && previousUrl !== undefined) {
			try {
				await partnerApiRequest.call(this, 'POST', '/webhook_url', { webhook_url: previousUrl });
			} catch (error) {
				throw apiError(
					this.getNode(),
					error,
					`Could not restore the previous partner webhook URL "${previousUrl}"`,
					`The Partner Hub still points at ${url}. Set the Partner Webhook URL back to "${previousUrl}" in Partner Hub → Integration.`,
				);
			}
		}
		delete state.previousUrl;
		return true;
	},
};
