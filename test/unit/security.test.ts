import { createHash, createHmac } from 'crypto';

import fc from 'fast-check';

import {
	checkHeaderSecret,
	checkSignature,
	GENERATED_HEADER_NAME,
	generateSecret,
	redactHeaders,
	redactSecrets,
	safeEqual,
	SIGNATURE_HEADER,
	type AuthResult,
} from '../../nodes/shared/core/security';
import { REFUSAL_ADVICE } from '../../nodes/shared/n8n/transport';
import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360PartnerApi } from '../../credentials/Dialog360PartnerApi.credentials';

const hmac = (body: Buffer | string, secret: string) => createHmac('sha256', secret).update(body).digest();

const failure = (result: AuthResult): string => {
	if (result.ok) throw new Error('expected the check to fail');
	return result.message;
};

describe('safeEqual', () => {
	it.each([
		['abc', 'abc', true],
		['', '', true],
		['abc', 'abd', false],
		['abc', 'ab', false],
		['ab', 'abc', false],
		['abc', '', false],
		['ABC', 'abc', false],
		['é', 'e\u0301', false],
	])('safeEqual(%j, %j) is %s', (actual, expected, result) => {
		expect(safeEqual(actual, expected)).toBe(result);
	});

	it('is string equality for any two strings', () => {
		fc.assert(fc.property(fc.string(), fc.string(), (a, b) => safeEqual(a, b) === (a === b)));
		fc.assert(fc.property(fc.string(), (a) => safeEqual(a, a)));
	});
});

describe('generateSecret', () => {
	it('makes 32 random bytes as hex, different each time', () => {
		const secrets = new Set(Array.from({ length: 20 }, () => generateSecret()));
		expect(secrets.size).toBe(20);
		for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('checkHeaderSecret', () => {
	const name = 'X-Webhook-Secret';

	it('accepts the right value, looking the header up in lower case as Node stores it', () => {
		expect(checkHeaderSecret({ 'x-webhook-secret': 's3cret' }, name, 's3cret')).toEqual({ ok: true });
	});

	it('uses the first value of a repeated header', () => {
		expect(checkHeaderSecret({ 'x-webhook-secret': ['s3cret', 'other'] }, name, 's3cret')).toEqual({ ok: true });
		expect(checkHeaderSecret({ 'x-webhook-secret': ['other', 's3cret'] }, name, 's3cret').ok).toBe(false);
	});

	it.each([
		['missing', {}],
		['undefined', { 'x-webhook-secret': undefined }],
		['empty', { 'x-webhook-secret': '' }],
	])('reports a %s header as missing, naming it', (_label, headers) => {
		const message = failure(checkHeaderSecret(headers, name, 's3cret'));
		expect(message).toMatch(/^Missing the "X-Webhook-Secret" header/);
	});

	it.each(['s3cre', 's3crett', 'S3CRET', ' s3cret'])('rejects %j, naming the header', (value) => {
		const message = failure(checkHeaderSecret({ 'x-webhook-secret': value }, name, 's3cret'));
		expect(message).toBe('The "X-Webhook-Secret" header does not match the secret registered with 360dialog.');
	});

	it('never accepts a request when the expected secret is empty', () => {
		// An empty header reads as missing, so an unset secret cannot be matched by sending nothing.
		expect(checkHeaderSecret({ [GENERATED_HEADER_NAME]: '' }, GENERATED_HEADER_NAME, '').ok).toBe(false);
	});

	it('accepts exactly the expected value', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (expected, given) => {
				const result = checkHeaderSecret({ [GENERATED_HEADER_NAME]: given }, GENERATED_HEADER_NAME, expected);
				return result.ok === (given === expected);
			}),
		);
	});
});

describe('checkSignature', () => {
	const secret = 'platform-secret';
	const raw = Buffer.from('{\n  "id": "evt_1",\n  "event": "channel_live",\n  "data": {}\n}\n');
	const digest = hmac(raw, secret);

	it.each([
		['lowercase hex', digest.toString('hex')],
		['uppercase hex', digest.toString('hex').toUpperCase()],
		['sha256= prefix', `sha256=${digest.toString('hex')}`],
		['SHA256= prefix', `SHA256=${digest.toString('hex')}`],
		['base64', digest.toString('base64')],
		['unpadded base64', digest.toString('base64').replace(/=+$/, '')],
		['base64url', digest.toString('base64url')],
		['padded base64url', `${digest.toString('base64url')}=`],
		['surrounding spaces', `  ${digest.toString('hex')} `],
		['the second of two signatures (secret rotation)', `${hmac(raw, 'old-secret').toString('hex')}, ${digest.toString('hex')}`],
		['the first of two signatures, one base64', `sha256=${digest.toString('base64')},sha256=${hmac(raw, 'next').toString('hex')}`],
	])('accepts %s', (_label, signature) => {
		expect(checkSignature({ [SIGNATURE_HEADER]: signature }, raw, secret)).toEqual({ ok: true });
	});

	it('accepts the body as a string with the same bytes', () => {
		expect(checkSignature({ [SIGNATURE_HEADER]: digest.toString('hex') }, raw.toString('utf8'), secret)).toEqual({ ok: true });
	});

	it.each([
		['base64 in another case', digest.toString('base64').toLowerCase()],
		['a truncated hex digest', digest.toString('hex').slice(0, 63)],
		['the hex of another secret', hmac(raw, 'old-secret').toString('hex')],
		['the hex of a plain SHA-256', createHash('sha256').update(raw).digest('hex')],
		['a hex digest with another prefix', `sha1=${digest.toString('hex')}`],
		['the right signature sixth in a list (at most five are tried)', [...['a', 'b', 'c', 'd', 'e'].map((key) => hmac(raw, key).toString('hex')), digest.toString('hex')].join(',')],
		['a list of empty entries', ', , ,'],
	])('rejects %s, naming the header', (_label, signature) => {
		const message = failure(checkSignature({ [SIGNATURE_HEADER]: signature }, raw, secret));
		expect(message).toContain(`"${SIGNATURE_HEADER}" header does not match the body`);
	});

	it('rejects a signature of the same JSON serialised differently', () => {
		const compact = JSON.stringify(JSON.parse(raw.toString('utf8')));
		const signature = hmac(compact, secret).toString('hex');
		expect(checkSignature({ [SIGNATURE_HEADER]: signature }, raw, secret).ok).toBe(false);
		expect(checkSignature({ [SIGNATURE_HEADER]: signature }, compact, secret).ok).toBe(true);
	});

	it('reports a missing signature header', () => {
		expect(failure(checkSignature({}, raw, secret))).toMatch(/^Missing the "x-360dialog-signature" header/);
		expect(failure(checkSignature({ [SIGNATURE_HEADER]: '' }, raw, secret))).toMatch(/^Missing/);
	});

	it('fails when the raw body is not available', () => {
		expect(failure(checkSignature({ [SIGNATURE_HEADER]: digest.toString('hex') }, undefined, secret))).toMatch(/raw request body/);
	});

	it('accepts the correct HMAC of any body and secret, in every encoding', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 512 }), fc.string({ minLength: 1 }), (bytes, key) => {
				const body = Buffer.from(bytes);
				const correct = hmac(body, key);
				return [correct.toString('hex'), correct.toString('hex').toUpperCase(), `sha256=${correct.toString('hex')}`, correct.toString('base64')].every(
					(signature) => checkSignature({ [SIGNATURE_HEADER]: signature }, body, key).ok,
				);
			}),
		);
	});

	it('rejects every other signature value', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (bytes, key, signature) => {
				const body = Buffer.from(bytes);
				const correct = hmac(body, key);
				const forms = [correct.toString('hex'), correct.toString('base64').replace(/=+$/, ''), correct.toString('base64url')];
				const parts = signature.split(',').map((part) => part.trim().replace(/^sha256=/i, ''));
				fc.pre(!parts.some((part) => forms.includes(part.toLowerCase()) || forms.includes(part.replace(/=+$/, ''))));
				return !checkSignature({ [SIGNATURE_HEADER]: signature }, body, key).ok;
			}),
		);
	});

	it('rejects the HMAC of a different body or under a different secret', () => {
		// Short keys without NUL: HMAC pads keys with zero bytes up to 64 bytes and hashes longer ones,
		// so "k" and "k\0" (or a long key and its SHA-256) are the same key by construction.
		const key = fc.stringMatching(/^[0-9a-zA-Z_-]{1,40}$/);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ maxLength: 256 }), key, key, (a, b, key, otherKey) => {
				const body = Buffer.from(a);
				const other = Buffer.from(b);
				fc.pre(!body.equals(other) && key !== otherKey);
				const forOtherBody = hmac(other, key).toString('hex');
				const forOtherKey = hmac(body, otherKey).toString('hex');
				return (
					!checkSignature({ [SIGNATURE_HEADER]: forOtherBody }, body, key).ok &&
					!checkSignature({ [SIGNATURE_HEADER]: forOtherKey }, body, key).ok
				);
			}),
		);
	});
});

describe('redactHeaders', () => {
	it('hides the secret headers whatever their case, joins repeated values and drops undefined ones', () => {
		const headers = {
			'content-type': 'application/json',
			'x-webhook-secret': 'hunter2',
			[SIGNATURE_HEADER]: 'abcdef',
			'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
			'x-empty': undefined,
		};
		expect(redactHeaders(headers, ['X-Webhook-Secret', SIGNATURE_HEADER])).toEqual({
			'content-type': 'application/json',
			'x-webhook-secret': '[redacted]',
			[SIGNATURE_HEADER]: '[redacted]',
			'x-forwarded-for': '10.0.0.1, 10.0.0.2',
		});
	});

	it('matches secret header names without regard to case on both sides', () => {
		expect(redactHeaders({ 'X-Webhook-Secret': 'hunter2', 'X-Other': 'v' }, ['x-webhook-secret'])).toEqual({
			'X-Webhook-Secret': '[redacted]',
			'X-Other': 'v',
		});
	});

	it('redacts a repeated secret header as a whole', () => {
		expect(redactHeaders({ 'x-webhook-secret': ['a', 'b'] }, ['x-webhook-secret'])).toEqual({ 'x-webhook-secret': '[redacted]' });
	});

	it('does not change its input', () => {
		const headers = { 'x-webhook-secret': 'hunter2' };
		redactHeaders(headers, ['x-webhook-secret']);
		expect(headers).toEqual({ 'x-webhook-secret': 'hunter2' });
	});

	it('never lets a secret value through', () => {
		// Names without the words that always mark a secret: those are covered below.
		const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((value) => !/secret|token|key|signature|auth|password|cookie/.test(value));
		fc.assert(
			fc.property(fc.dictionary(name, fc.string()), name, fc.string({ minLength: 1 }), (others, secretName, secretValue) => {
				const headers = { ...others, [secretName]: secretValue };
				const redacted = redactHeaders(headers, [secretName.toUpperCase()]);
				return (
					Object.keys(redacted).length === Object.keys(headers).length &&
					Object.entries(redacted).every(([key, value]) => value === (key === secretName ? '[redacted]' : headers[key]))
				);
			}),
		);
	});

	it.each([
		'authorization',
		'Cookie',
		'X-API-Key',
		'D360-API-KEY',
		'x-360dialog-signature',
		'X-N8N-360DIALOG-AUTH',
		'x-client-secret',
		'X-Access-Token',
		'x-hub-signature-256',
		'x-partner-key',
		'Proxy-Authorization',
	])('always redacts %s, configured or not', (header) => {
		expect(redactHeaders({ [header]: 'credential-value', accept: '*/*' }, [])).toEqual({ [header]: '[redacted]', accept: '*/*' });
	});

	it('keeps a header named __proto__ as data, without touching the prototype', () => {
		const headers = JSON.parse('{"__proto__": "x", "accept": "*/*"}') as Record<string, string>;
		const redacted = redactHeaders(headers, []);
		expect(Object.keys(redacted)).toEqual(['__proto__', 'accept']);
		expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toBe('x');
		expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
	});
});

describe('redactSecrets (error messages quoting 360dialog answers)', () => {
	it('replaces every occurrence of a given secret, at any depth, and keys named like credentials', () => {
		const answer = {
			meta: { developer_message: 'Invalid api key abcd1234, was abcd1234' },
			echo: [{ headers: { 'x-n8n-360dialog-auth': 'whatever', 'content-type': 'application/json' } }],
			token: 12345,
			nested: { fine: 'text', count: 2, empty: null },
		};
		expect(redactSecrets(answer, ['abcd1234'])).toEqual({
			meta: { developer_message: 'Invalid api key [redacted], was [redacted]' },
			echo: [{ headers: { 'x-n8n-360dialog-auth': '[redacted]', 'content-type': 'application/json' } }],
			token: '[redacted]',
			nested: { fine: 'text', count: 2, empty: null },
		});
	});

	it('ignores empty and very short secrets, which would blank out ordinary words', () => {
		expect(redactSecrets('a 401 for key', ['', 'a', '401'])).toBe('a 401 for key');
	});

	it('leaves the input unchanged', () => {
		const answer = { message: 'key s3cr3t-value' };
		redactSecrets(answer, ['s3cr3t-value']);
		expect(answer.message).toBe('key s3cr3t-value');
	});
});

describe('credential tests', () => {
	it('the messaging credential answers 401, 403 and 404 with what to check', () => {
		const rules = new Dialog360Api().test.rules ?? [];
		const byStatus = Object.fromEntries(rules.map((rule) => [(rule.properties as { value: number }).value, (rule.properties as { message: string }).message]));
		expect(rules.every((rule) => rule.type === 'responseCode')).toBe(true);
		expect(byStatus[401]).toMatch(/^The API key was not accepted by 360dialog: check that it is the D360-API-KEY of this number/);
		expect(byStatus[403]).toMatch(/API key was not accepted/);
		expect(byStatus[404]).toMatch(/Environment/);
	});

	it('the Partner credential says a 401 is the Partner API key and a 404 the Partner ID', () => {
		const rules = new Dialog360PartnerApi().test.rules ?? [];
		const byStatus = Object.fromEntries(rules.map((rule) => [(rule.properties as { value: number }).value, (rule.properties as { message: string }).message]));
		expect(byStatus[401]).toMatch(/^The Partner API key was not accepted by 360dialog/);
		expect(byStatus[404]).toMatch(/^The Partner ID is wrong/);
		expect(byStatus[403]).toMatch(/Partner ID and the Partner API Key belong to the same partner/);
	});

	it('registration errors give the same advice as the credential test', () => {
		expect(REFUSAL_ADVICE.partner[404]).toBe((new Dialog360PartnerApi().test.rules ?? []).map((rule) => (rule.properties as { value: number; message: string })).find((rule) => rule.value === 404)?.message);
	});
});
