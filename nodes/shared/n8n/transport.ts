import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INode,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { withoutTrailingSlash } from '../core/parameters';
import { redactSecrets } from '../core/security';

type Context = IHookFunctions | IExecuteFunctions | IWebhookFunctions;

export const MESSAGING_CREDENTIAL = 'dialog360Api';
export const PARTNER_CREDENTIAL = 'dialog360PartnerApi';

/** 360dialog's Messaging API hosts, by the credential's Environment value. */
export const MESSAGING_HOSTS = {
	cloud: 'https://waba-v2.360dialog.io',
	onPremise: 'https://waba.360dialog.io',
	sandbox: 'https://waba-sandbox.360dialog.io',
} as const;
export type MessagingEnvironment = keyof typeof MESSAGING_HOSTS | 'custom';

export const PARTNER_API_BASE_URL = 'https://hub.360dialog.io/api/v2';


/** The Messaging API base URL a `dialog360Api` credential points at. */
export function messagingBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment as MessagingEnvironment | undefined) ?? 'cloud';
	if (environment === 'custom') return withoutTrailingSlash(String(credentials.baseUrl ?? ''));
	return MESSAGING_HOSTS[environment] ?? MESSAGING_HOSTS.cloud;
}

/** An n8n expression computing the same base URL, for the credential test request. */
export const MESSAGING_BASE_URL_EXPRESSION = `={{ $credentials.environment === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : (${JSON.stringify(MESSAGING_HOSTS)})[$credentials.environment] }}`;

type Api = 'messaging' | 'partner';

/**
 * What to check when 360dialog refuses a call, by API and HTTP status. The credential tests show
 * the same sentences (their `rules`), so a key refused while testing and while publishing reads
 * the same.
 */
export const REFUSAL_ADVICE: Record<Api, Record<number, string>> = {
	messaging: {
		401: "The API key was not accepted by 360dialog: check that it is the D360-API-KEY of this number, and that the credential's Environment (Cloud API, On-Premise API, Sandbox) is the number's.",
		403: "The API key was not accepted by 360dialog for this call: check that it is the D360-API-KEY of this number, and that the credential's Environment is the number's.",
		404: "360dialog has no such address: check the credential's Environment (a Cloud API number needs Cloud API) or its Custom Base URL.",
	},
	partner: {
		401: "The Partner API key was not accepted by 360dialog: check the credential's Partner API Key (Partner Hub, API keys).",
		403: 'The Partner API key may not act for this Partner ID: check that the Partner ID and the Partner API Key belong to the same partner.',
		404: "The Partner ID is wrong: 360dialog knows no partner by that ID. Copy it from Partner Hub, Partner Integration (or the browser URL after /partner/).",
	},
};

const rulesFor = (api: Api): ICredentialTestRequest['rules'] =>
	Object.entries(REFUSAL_ADVICE[api]).map(([status, message]) => ({
		type: 'responseCode' as const,
		properties: { value: Number(status), message },
	}));

/** The messaging credential test's answers to 401, 403 and 404. */
export const MESSAGING_CREDENTIAL_TEST_RULES = rulesFor('messaging');
/** The Partner credential test's answers to 401, 403 and 404. */
export const PARTNER_CREDENTIAL_TEST_RULES = rulesFor('partner');

/** What to do after a refusal no table entry covers. */
function adviceFor(api: Api, status: number): string {
	const known = REFUSAL_ADVICE[api][status];
	if (known) return known;
	if (status === 429) return '360dialog is limiting the requests: publish again in a minute.';
	if (status >= 500)
		return '360dialog could not handle the call just now: publish again in a few minutes, or check status.360dialog.com.';
	return "Check 360dialog's answer above; the call and its body come from the node's settings and the credential.";
}

/** The longest answer body an error message quotes. */
const MAX_QUOTED = 500;

/** 360dialog's answer body as text, secrets redacted and long bodies cut. */
export function quoteAnswer(body: unknown, secrets: readonly string[]): string {
	let parsed = body;
	if (Buffer.isBuffer(parsed)) parsed = parsed.toString('utf8');
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			// Not JSON: quoted as text.
		}
	}
	const hidden = redactSecrets(parsed ?? '', secrets);
	const text = typeof hidden === 'string' ? hidden : JSON.stringify(hidden);
	if (text === '' || text === '""') return '(an empty body)';
	return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (cut)` : text;
}

/** A call to 360dialog, as errors name it: method, full URL, which API. */
export interface Call {
	method: IHttpRequestMethods;
	url: string;
	api: Api;
	/** Values that must never appear in an error: API keys, secrets sent as webhook headers. */
	secrets: readonly string[];
}

/**
 * The error for a call 360dialog answered with 4xx or 5xx: which call, what 360dialog answered
 * (status and body, secrets redacted), and what to do.
 */
export function refusedError(node: INode, call: Call, status: number, body: unknown): NodeApiError {
	const answer = quoteAnswer(body, call.secrets);
	const error = new NodeApiError(
		node,
		{ message: `${status}`, answer } as JsonObject,
		{
			message: `360dialog answered ${status} to ${call.method} ${call.url}`,
			description: `360dialog answered: ${answer}. ${adviceFor(call.api, status)}`,
			httpCode: String(status),
		},
	);
	error.context.request = `${call.method} ${call.url}`;
	error.context.status = status;
	error.context.answer = answer;
	return error;
}

/**
 * The error for a call that got no answer at all (the host could not be reached, the connection
 * broke, it timed out). The message must not contain the error code: n8n would replace a message
 * that does (ENOTFOUND...) with its generic sentence.
 */
export function unreachableError(node: INode, call: Call, cause: unknown): NodeApiError {
	// n8n's helper hands over its own NodeApiError with a general sentence as message; the
	// network error it wraps has the code and the system's own message.
	const outer = (cause ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
	const inner = (typeof outer.cause === 'object' && outer.cause !== null ? outer.cause : outer) as {
		code?: unknown;
		message?: unknown;
	};
	const code = typeof inner.code === 'string' ? inner.code : typeof outer.code === 'string' ? outer.code : '';
	const message = typeof inner.message === 'string' ? inner.message : String(outer.message ?? '');
	const why = message.includes(code) ? message : [code, message].filter(Boolean).join(': ');
	const host = hostOf(call.url);
	const error = new NodeApiError(node, { message: 'no answer' } as JsonObject, {
		message: `Could not reach ${host} for ${call.method} ${call.url}`,
		description: `Nothing answered${why ? ` (${String(redactSecrets(why, call.secrets))})` : ''}. Check the credential's ${call.api === 'partner' ? 'Base URL' : 'Environment (or Custom Base URL)'}, and that this n8n can reach ${host}.`,
		messageMapping: {},
	});
	error.context.request = `${call.method} ${call.url}`;
	error.context.status = null;
	return error;
}

const hostOf = (url: string): string => {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
};

/**
 * A NodeApiError with our message and fix, for a failed call a step depends on (restoring the
 * previous webhook). n8n returns a NodeApiError given to the constructor unchanged, which would
 * drop both, so the cause's own text (which call, what 360dialog answered) is appended.
 */
export function apiError(
	node: INode,
	cause: unknown,
	message: string,
	description: string,
): NodeApiError {
	const {
		message: said,
		description: detail,
		httpCode,
	} = (cause ?? {}) as { message?: string; description?: string | null; httpCode?: string | null };
	const response: JsonObject = { message: said ?? String(cause) };
	const what = [said, detail].filter(Boolean).join('. ');
	return new NodeApiError(node, response, {
		message,
		description: what ? `${description} (${what})` : description,
		...(httpCode ? { httpCode } : {}),
	});
}

async function request(
	this: Context,
	credentialType: string,
	options: IHttpRequestOptions,
	call: Call,
): Promise<IDataObject> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw unreachableError(this.getNode(), call, error);
	}
	if (response.statusCode >= 400) {
		throw refusedError(this.getNode(), call, response.statusCode, response.body);
	}
	const body = response.body;
	return typeof body === 'object' && body !== null && !Buffer.isBuffer(body)
		? (body as IDataObject)
		: {};
}

/** Strings of a request body's `headers`: the secrets a webhook registration sends. */
const headerValues = (body: IDataObject | undefined): string[] => {
	const headers = body?.headers;
	if (typeof headers !== 'object' || headers === null) return [];
	return Object.values(headers).filter((value): value is string => typeof value === 'string');
};

/** A request to the Messaging API (`D360-API-KEY` auth), e.g. `/v1/configs/webhook`. */
export async function messagingApiRequest(
	this: Context,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const credentials = await this.getCredentials(MESSAGING_CREDENTIAL);
	const options: IHttpRequestOptions = {
		method,
		url: `${messagingBaseUrl(credentials)}${path}`,
		json: true,
	};
	if (body !== undefined) options.body = body;
	return await request.call(this, MESSAGING_CREDENTIAL, options, {
		method,
		url: options.url,
		api: 'messaging',
		secrets: [String(credentials.apiKey ?? ''), ...headerValues(body)],
	});
}

/** A request to the Partner API (`X-API-Key` auth) under `/partners/{partnerId}`. */
export async function partnerApiRequest(
	this: Context,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const credentials = await this.getCredentials(PARTNER_CREDENTIAL);
	const base = withoutTrailingSlash(String(credentials.baseUrl || PARTNER_API_BASE_URL));
	const partnerId = encodeURIComponent(String(credentials.partnerId ?? '').trim());
	const options: IHttpRequestOptions = {
		method,
		url: `${base}/partners/${partnerId}${path}`,
		json: true,
	};
	if (body !== undefined) options.body = body;
	return await request.call(this, PARTNER_CREDENTIAL, options, {
		method,
		url: options.url,
		api: 'partner',
		secrets: [String(credentials.apiKey ?? ''), String(credentials.signingSecret ?? '')],
	});
}
