import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

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

const trimSlash = (url: string): string => url.trim().replace(/\/+$/, '');

/** The Messaging API base URL a `dialog360Api` credential points at. */
export function messagingBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment as MessagingEnvironment | undefined) ?? 'cloud';
	if (environment === 'custom') return trimSlash(String(credentials.baseUrl ?? ''));
	return MESSAGING_HOSTS[environment] ?? MESSAGING_HOSTS.cloud;
}

/** An n8n expression computing the same base URL, for the credential test request. */
export const MESSAGING_BASE_URL_EXPRESSION = `={{ $credentials.environment === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : (${JSON.stringify(MESSAGING_HOSTS)})[$credentials.environment] }}`;

/**
 * A NodeApiError with our message and fix. n8n returns a NodeApiError given to the constructor
 * unchanged, which would drop both, so the cause is passed on as plain data.
 */
export function apiError(
	node: INode,
	cause: unknown,
	message: string,
	description: string,
): NodeApiError {
	const { message: said, httpCode } = (cause ?? {}) as {
		message?: string;
		httpCode?: string | null;
	};
	const response: JsonObject = { message: said ?? String(cause) };
	return new NodeApiError(node, response, {
		message,
		description: said ? `${description} 360dialog said: ${said}` : description,
		...(httpCode ? { httpCode } : {}),
	});
}

async function request(
	this: Context,
	credentialType: string,
	options: IHttpRequestOptions,
	what: string,
): Promise<IDataObject> {
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(
			this,
			credentialType,
			options,
		)) as IDataObject;
	} catch (error) {
		throw apiError(
			this.getNode(),
			error,
			`360dialog did not accept the request to ${what}`,
			`${options.method ?? 'GET'} ${options.url} failed. Check the API key and the base URL of the credential.`,
		);
	}
}

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
	return await request.call(this, MESSAGING_CREDENTIAL, options, `${method} ${path}`);
}

/** A request to the Partner API (`X-API-Key` auth) under `/partners/{partnerId}`. */
export async function partnerApiRequest(
	this: Context,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const credentials = await this.getCredentials(PARTNER_CREDENTIAL);
	const base = trimSlash(String(credentials.baseUrl || PARTNER_API_BASE_URL));
	const partnerId = encodeURIComponent(String(credentials.partnerId ?? '').trim());
	const options: IHttpRequestOptions = {
		method,
		url: `${base}/partners/${partnerId}${path}`,
		json: true,
	};
	if (body !== undefined) options.body = body;
	return await request.call(
		this,
		PARTNER_CREDENTIAL,
		options,
		`${method} /partners/{partner_id}${path}`,
	);
}
