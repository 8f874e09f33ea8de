import { num, obj, str } from './normalize/read';

/**
 * WhatsApp error codes that users hit, each with a sentence that says what to do and whether
 * trying again later can succeed. One table: the 360dialog node's error messages, the
 * `errorMeaning` / `retryable` fields of failed status items and the README table all read it.
 * Cloud API codes come from Meta; 470, 471, 480 and 1013 are On-Premise codes; 401 is the HTTP
 * status 360dialog answers for a wrong API key.
 */
export const WHATSAPP_ERRORS = [
	{
		code: 401,
		meaning:
			'360dialog rejected the API key: check the D360-API-KEY in the 360dialog API credential (generating a new key revokes the old ones).',
		retryable: false,
	},
	{
		code: 4,
		meaning: 'Too many API calls: wait and retry with backoff.',
		retryable: true,
	},
	{
		code: 100,
		meaning: 'A field of the request is invalid or missing: the details name it.',
		retryable: false,
	},
	{
		code: 368,
		meaning:
			'The number is temporarily blocked for policy violations: check the account in the 360dialog Hub.',
		retryable: false,
	},
	{
		code: 130429,
		meaning:
			"The number's throughput limit (messages per second) was reached: retry with backoff, or lower the node's Concurrency.",
		retryable: true,
	},
	{
		code: 131000,
		meaning: "Something went wrong on WhatsApp's side: retry later.",
		retryable: true,
	},
	{
		code: 131005,
		meaning: 'Access denied: this number or key may not do this.',
		retryable: false,
	},
	{
		code: 131008,
		meaning: 'A required parameter is missing: the details name it.',
		retryable: false,
	},
	{
		code: 131009,
		meaning: 'A parameter value is invalid: the details name it.',
		retryable: false,
	},
	{
		code: 131016,
		meaning: 'WhatsApp is temporarily unavailable: retry later.',
		retryable: true,
	},
	{
		code: 131021,
		meaning: "The recipient is the business's own number: send to another number.",
		retryable: false,
	},
	{
		code: 131026,
		meaning:
			'The message could not be delivered: the recipient may not use WhatsApp, may use an old app version or may not have accepted the latest terms, or the 24-hour customer service window is closed: check the number, or send a template.',
		retryable: false,
	},
	{
		code: 131031,
		meaning: 'The business account is locked: contact 360dialog support.',
		retryable: false,
	},
	{
		code: 131042,
		meaning:
			'There is a payment problem on the account: check the payment method in the 360dialog Hub.',
		retryable: false,
	},
	{
		code: 131045,
		meaning: 'The phone number is not registered (certificate problem): register the number again.',
		retryable: false,
	},
	{
		code: 131047,
		meaning:
			'The 24-hour customer service window is closed (the customer last wrote more than 24 hours ago): send a template.',
		retryable: false,
	},
	{
		code: 131048,
		meaning:
			"The number's spam rate limit was hit (too many of its messages were blocked or reported): slow down and check its quality rating.",
		retryable: false,
	},
	{
		code: 131049,
		meaning:
			'Meta did not deliver this marketing message, to keep engagement healthy: do not retry at once; try again in a day or more.',
		retryable: false,
	},
	{
		code: 131050,
		meaning: 'The customer stopped marketing messages from this business.',
		retryable: false,
	},
	{
		code: 131051,
		meaning: 'The message type is not supported.',
		retryable: false,
	},
	{
		code: 131052,
		meaning: "The customer's media could not be downloaded: ask them to send it again.",
		retryable: false,
	},
	{
		code: 131053,
		meaning: 'The media could not be uploaded: check the file type, size and link.',
		retryable: false,
	},
	{
		code: 131056,
		meaning:
			'Too many messages to this customer in a short time (pair rate limit): wait before writing to this customer again.',
		retryable: true,
	},
	{
		code: 131057,
		meaning: 'The business account is in maintenance mode: retry later.',
		retryable: true,
	},
	{
		code: 131062,
		meaning:
			'This message cannot be sent to a business-scoped user id: send it to the phone number.',
		retryable: false,
	},
	{
		code: 132000,
		meaning:
			'The number of template parameters does not match the template: send exactly the variables its header, body and buttons define.',
		retryable: false,
	},
	{
		code: 132001,
		meaning:
			'The template does not exist in this language or is not approved: check its name and language.',
		retryable: false,
	},
	{
		code: 132005,
		meaning: 'The filled-in template text is too long: shorten the parameter values.',
		retryable: false,
	},
	{
		code: 132007,
		meaning:
			"The template's content breaks WhatsApp's format or policy rules: check the parameter values.",
		retryable: false,
	},
	{
		code: 132012,
		meaning:
			'A template parameter has the wrong format (e.g. text where the header expects an image): match each parameter to its component.',
		retryable: false,
	},
	{
		code: 132015,
		meaning: 'The template is paused for low quality: edit it or send another one.',
		retryable: false,
	},
	{
		code: 132016,
		meaning:
			'The template is disabled for low quality and can no longer be sent: create a new one.',
		retryable: false,
	},
	{
		code: 133010,
		meaning: 'The phone number is not registered with WhatsApp: register it.',
		retryable: false,
	},
	{
		code: 470,
		meaning:
			'On-Premise: the 24-hour customer service window is closed (the customer last wrote more than 24 hours ago): send a template.',
		retryable: false,
	},
	{
		code: 471,
		meaning:
			"On-Premise: the number's spam rate limit was hit: slow down and check its quality rating.",
		retryable: false,
	},
	{
		code: 480,
		meaning: "On-Premise: the customer's identity changed: confirm it before writing again.",
		retryable: false,
	},
	{
		code: 1013,
		meaning: 'On-Premise: the recipient is not a valid WhatsApp user: check the number.',
		retryable: false,
	},
] as const;

export type WhatsAppErrorCode = (typeof WHATSAPP_ERRORS)[number]['code'];

/** Codes of template problems, for which an error message names the template. */
export const TEMPLATE_ERROR_CODES: readonly number[] = WHATSAPP_ERRORS.map(
	(row) => row.code,
).filter((code) => code >= 132000 && code < 133000);

const BY_CODE = new Map<number, { meaning: string; retryable: boolean }>(
	WHATSAPP_ERRORS.map((row) => [row.code, row]),
);

/** What a WhatsApp error code means and whether retrying later can succeed; null when unknown. */
export function explainErrorCode(
	code: number | null | undefined,
): { meaning: string; retryable: boolean } | null {
	return code === null || code === undefined ? null : (BY_CODE.get(code) ?? null);
}

/** The first explained code of a status item's errors, as its `errorMeaning` and `retryable`. */
export function explainErrors(errors: ReadonlyArray<{ code: number | null }>): {
	readonly errorMeaning: string | null;
	readonly retryable: boolean | null;
} {
	for (const error of errors) {
		const known = explainErrorCode(error.code);
		if (known) return { errorMeaning: known.meaning, retryable: known.retryable };
	}
	return UNEXPLAINED;
}

const UNEXPLAINED = { errorMeaning: null, retryable: null } as const;

export interface ApiErrorDetail {
	/** The WhatsApp error code, else 360dialog's `http_code`, else the HTTP status. */
	code: number | null;
	title: string | null;
	details: string | null;
}

/** A non-empty text, else null. */
const asText = (value: unknown): string | null => str(value) || null;

/**
 * The error in a 360dialog answer, whichever shape it has: Meta's `{error: {code, message,
 * error_data}}` (Cloud), `{errors: [{code, title, details}]}` (On-Premise), 360dialog's
 * `{meta: {http_code, developer_message}}`, or `{error: "text"}`.
 */
export function readApiError(status: number, body: unknown): ApiErrorDetail {
	const root = obj(body) ?? {};
	const error = obj(root.error);
	if (error) {
		return {
			code: num(error.code) ?? status,
			title: asText(error.message) ?? asText(error.title),
			details: asText(obj(error.error_data)?.details) ?? asText(error.details),
		};
	}
	const first = Array.isArray(root.errors) ? obj(root.errors[0]) : null;
	if (first) {
		return {
			code: num(first.code) ?? status,
			title: asText(first.title) ?? asText(first.message),
			details: asText(first.details),
		};
	}
	const meta = obj(root.meta);
	const details =
		meta && Array.isArray(meta.details) ? meta.details.filter(asText).join('; ') : null;
	return {
		code: status === 401 ? 401 : ((meta && num(meta.http_code)) ?? status),
		title: (meta && asText(meta.developer_message)) ?? asText(root.error) ?? asText(root.message),
		details: details || null,
	};
}

const SECRET_KEYS = /api[-_]?key|token|secret|password|authorization|signature/i;
export const REDACTED = '**hidden**';

/** A copy of `value` with secret-looking keys and every occurrence of `secrets` hidden. */
export function redact(value: unknown, secrets: readonly string[]): unknown {
	const known = secrets.filter((secret) => secret.length >= 4);
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string')
			return known.reduce((text, secret) => text.split(secret).join(REDACTED), node);
		if (Array.isArray(node)) return node.map(walk);
		const object = obj(node);
		if (object === null) return node;
		return Object.fromEntries(
			Object.entries(object).map(([key, child]) => [
				key,
				SECRET_KEYS.test(key) && child !== null && typeof child !== 'object'
					? REDACTED
					: walk(child),
			]),
		);
	};
	return walk(value);
}
