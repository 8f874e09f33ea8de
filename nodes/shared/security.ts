import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/** The header our generated secret travels in, registered with 360dialog as a custom webhook header. */
export const GENERATED_HEADER_NAME = 'x-n8n-360dialog-auth';
/** 360dialog's signature header on Partner Hub webhooks. */
export const SIGNATURE_HEADER = 'x-360dialog-signature';

export const generateSecret = (): string => randomBytes(32).toString('hex');

/**
 * Constant-time string comparison. Both sides are hashed first, so neither the content nor the
 * length of the expected value leaks through timing.
 */
export function safeEqual(actual: string, expected: string): boolean {
	const a = createHash('sha256').update(actual).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b) && actual.length === expected.length;
}

export type HeaderMap = Record<string, string | string[] | undefined>;

const headerValue = (headers: HeaderMap, name: string): string | undefined => {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
};

export type AuthResult = { ok: true } | { ok: false; message: string };

/** Checks a shared-secret header, naming the header in the failure message. */
export function checkHeaderSecret(headers: HeaderMap, name: string, expected: string): AuthResult {
	const actual = headerValue(headers, name);
	if (actual === undefined || actual === '') {
		return {
			ok: false,
			message: `Missing the "${name}" header. This webhook only accepts requests that carry the secret registered with 360dialog.`,
		};
	}
	if (!safeEqual(actual, expected)) {
		return {
			ok: false,
			message: `The "${name}" header does not match the secret registered with 360dialog.`,
		};
	}
	return { ok: true };
}

/**
 * Checks `x-360dialog-signature`: an HMAC-SHA256 of the raw body keyed with the partner's platform
 * secret. 360dialog does not document the encoding, so a hex digest (any case, with or without a
 * `sha256=` prefix) and a base64 digest are both accepted.
 */
export function checkSignature(
	headers: HeaderMap,
	rawBody: Buffer | string | undefined,
	secret: string,
): AuthResult {
	const header = headerValue(headers, SIGNATURE_HEADER);
	if (header === undefined || header === '') {
		return {
			ok: false,
			message: `Missing the "${SIGNATURE_HEADER}" header. A Webhook Signing Secret is set in the credential, so every request must be signed.`,
		};
	}
	if (rawBody === undefined) {
		return {
			ok: false,
			message: 'The raw request body is not available, so the signature cannot be checked.',
		};
	}
	const digest = createHmac('sha256', secret).update(rawBody).digest();
	const given = header.trim().replace(/^sha256=/i, '');
	const matches =
		safeEqual(given.toLowerCase(), digest.toString('hex')) ||
		safeEqual(given, digest.toString('base64'));
	return matches
		? { ok: true }
		: {
				ok: false,
				message: `The "${SIGNATURE_HEADER}" header does not match the body. Check that the credential's Webhook Signing Secret is the current platform secret from the Partner Hub.`,
			};
}

/** Request headers without the secrets, for the Include Request Headers option. */
export function redactHeaders(
	headers: HeaderMap,
	secretHeaders: readonly string[],
): Record<string, string> {
	const hidden = new Set(secretHeaders.map((name) => name.toLowerCase()));
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		result[name] = hidden.has(name.toLowerCase())
			? '[redacted]'
			: Array.isArray(value)
				? value.join(', ')
				: value;
	}
	return result;
}
