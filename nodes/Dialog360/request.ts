import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type JsonObject,
} from 'n8n-workflow';

import type { ApiFlavour } from '../shared/core/actions/bodies';
import {
	explainErrorCode,
	readApiError,
	redact,
	TEMPLATE_ERROR_CODES,
} from '../shared/core/errorCatalog';
import { MESSAGING_CREDENTIAL, messagingBaseUrl } from '../shared/n8n/transport';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface Connection {
	baseUrl: string;
	flavour: ApiFlavour;
	apiKey: string;
}

/** The credential's base URL, and the API flavour: the node's choice, else the credential's. */
export async function connection(context: Context, choice: string): Promise<Connection> {
	const credentials = await context.getCredentials(MESSAGING_CREDENTIAL);
	const flavour: ApiFlavour =
		choice === 'cloud' || choice === 'onPremise'
			? choice
			: credentials.environment === 'onPremise'
				? 'onPremise'
				: 'cloud';
	return {
		baseUrl: messagingBaseUrl(credentials),
		flavour,
		apiKey: String(credentials.apiKey ?? ''),
	};
}

export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject | Buffer;
	contentType?: string;
	qs?: IDataObject;
	/** What the request was about, named in error messages (e.g. `template "order_update"`). */
	about?: string;
	itemIndex?: number;
}

/**
 * One Messaging API call. A 4xx/5xx answer becomes a NodeApiError whose message says what the
 * WhatsApp error code means (from the error table), with 360dialog's body kept, secrets hidden.
 */
export async function apiCall(context: Context, link: Connection, call: ApiCall): Promise<unknown> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${link.baseUrl}${call.path}`,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: !Buffer.isBuffer(call.body),
	};
	if (call.body !== undefined) options.body = call.body;
	if (call.contentType) options.headers = { 'Content-Type': call.contentType };
	if (call.qs) options.qs = call.qs;
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			MESSAGING_CREDENTIAL,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeApiError(
			context.getNode(),
			{ message: (error as Error).message ?? String(error) },
			{
				message: `Could not reach 360dialog at ${link.baseUrl}`,
				description: `${call.method} ${call.path} failed before an answer came: ${(error as Error).message}. Check the credential's base URL.`,
				itemIndex: call.itemIndex,
			},
		);
	}
	const body = parseBody(response.body);
	if (response.statusCode < 400) return body;
	throw apiErrorFor(context, link, call, response.statusCode, body);
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** The NodeApiError for a 360dialog error answer. */
export function apiErrorFor(
	context: Context,
	link: Connection,
	call: ApiCall,
	status: number,
	body: unknown,
): NodeApiError {
	const detail = readApiError(status, body);
	const known = explainErrorCode(detail.code);
	const said = redact([detail.title, detail.details].filter(Boolean).join(': '), [link.apiKey]);
	const about =
		call.about && detail.code !== null && TEMPLATE_ERROR_CODES.includes(detail.code)
			? ` (${call.about})`
			: '';
	const message = known
		? `${known.meaning}${about}`
		: `360dialog did not accept ${call.method} ${call.path} (${status})${about}`;
	const hidden = redact(body ?? {}, [link.apiKey]);
	const response: JsonObject =
		typeof hidden === 'object' && hidden !== null && !Array.isArray(hidden)
			? (hidden as JsonObject)
			: { body: hidden as string };
	const error = new NodeApiError(context.getNode(), response, {
		message,
		description: `${call.method} ${call.path} answered ${status}${detail.code !== null && detail.code !== status ? `, WhatsApp error ${detail.code}` : ''}${said ? `. 360dialog said: ${said}` : ''}`,
		httpCode: String(status),
		itemIndex: call.itemIndex,
	});
	// Continue On Fail copies these onto the error item.
	error.context.code = detail.code;
	error.context.retryable = known?.retryable ?? null;
	error.context.response = response;
	return error;
}
