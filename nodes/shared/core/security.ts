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
	return signatureMatches(header, digest)
		? { ok: true }
		: {
				ok: false,
				message: `The "${SIGNATURE_HEADER}" header does not match the body. Check that the credential's Webhook Signing Secret is the current platform secret from the Partner Hub.`,
			};
}

/** More signatures than this in one header are not a rotation but a guessing attempt. */
const MAX_SIGNATURES = 5;

/**
 * Whether one of the header's signatures is the digest. A header may list several, comma-separated
 * (while a secret is rotated), each as hex (any case, with or without `sha256=`) or base64 or
 * base64url, padded or not.
 */
export function signatureMatches(header: string, digest: Buffer): boolean {
	const hex = digest.toString('hex');
	const base64 = digest.toString('base64').replace(/=+$/, '');
	const base64url = digest.toString('base64url');
	const given = header
		.split(',')
		.map((part) => part.trim().replace(/^sha256=/i, ''))
		.filter(Boolean)
		.slice(0, MAX_SIGNATURES);
	let matches = false;
	// Every candidate is compared, so the time taken does not tell which one matched.
	for (const signature of given) {
		const unpadded = signature.replace(/=+$/, '');
		if (safeEqual(signature.toLowerCase(), hex)) matches = true;
		if (safeEqual(unpadded, base64)) matches = true;
		if (safeEqual(unpadded, base64url)) matches = true;
	}
	return matches;
}

/**
 * Headers whose values are credentials wherever they appear, on top of the ones a node configures:
 * HTTP auth, 360dialog's API key and signature, and any name that says secret, token, key or
 * signature.
 */
const SECRET_HEADERS = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'set-cookie',
	'x-api-key',
	'd360-api-key',
	SIGNATURE_HEADER,
	GENERATED_HEADER_NAME,
]);
/** What a redacted value reads. */
const REDACTED = '[redacted]';

const SECRET_HEADER_WORDS = /secret|token|key|signature|auth|password/i;

export const isSecretHeader = (name: string, configured: ReadonlySet<string>): boolean => {
	const lower = name.toLowerCase();
	return SECRET_HEADERS.has(lower) || configured.has(lower) || SECRET_HEADER_WORDS.test(lower);
};

/**
 * Request headers without the secrets, for the Include Request Headers option. Built with
 * Object.fromEntries so that a header named `__proto__` stays an ordinary key.
 */
export function redactHeaders(
	headers: HeaderMap,
	secretHeaders: readonly string[],
): Record<string, string> {
	const configured = new Set(secretHeaders.map((name) => name.toLowerCase()));
	const entries: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : String(value);
		entries.push([name, isSecretHeader(name, configured) ? REDACTED : text]);
	}
	return Object.fromEntries(entries);
}


/**
 * A copy of an answer body (or any JSON value) fit for an error message: every occurrence of the
 * given secrets is replaced, and so is the value of any key named like a credential (the same
 * names redactHeaders hides), wherever it is nested.
 */
export function redactSecrets(value: unknown, secrets: readonly string[]): unknown {
	// Short values would blank out ordinary words; an API key or a secret is never that short.
	const known = secrets.filter((secret) => secret.length >= 4);
	const none = new Set<string>();
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string')
			return known.reduce((text, secret) => text.split(secret).join(REDACTED), node);
		if (Array.isArray(node)) return node.map(walk);
		if (typeof node !== 'object' || node === null) return node;
		return Object.fromEntries(
			Object.entries(node).map(([key, child]) => [
				key,
				isSecretHeader(key, none) && child !== null && typeof child !== 'object'
					? REDACTED
					: walk(child),
			]),
		);
	};
	return walk(value);
}
