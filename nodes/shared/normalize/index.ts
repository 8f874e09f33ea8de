import type { NormalizedEvent } from '../schemas/normalized';
import { normalizeCloud } from './cloud';
import { collector } from './emit';
import { normalizeOnPremise } from './onPremise';
import { normalizePartner } from './partner';
import { describe, InvalidPayloadError, isObject } from './read';

export { InvalidPayloadError } from './read';

export const FORMATS = ['cloud', 'on_premise', 'partner'] as const;
export type Format = (typeof FORMATS)[number];

export interface NormalizeOptions {
	/** Which format the payload is in; `auto` (the default) detects it. */
	format?: Format | 'auto';
	/** Whether each item keeps its source element under `raw`. */
	includeRaw?: boolean;
}

const ON_PREMISE_KEYS = ['messages', 'statuses', 'errors', 'contacts'];

/**
 * An object that names itself with `event` is meant as a Partner Hub event, even when the name is
 * not a string: the partner normalizer then says which element or field is wrong.
 */
const looksLikePartnerEvent = (value: unknown): boolean =>
	isObject(value) && value.event !== undefined && value.entry === undefined;

/** Which webhook format a parsed body is in, from its envelope alone. */
export function detectFormat(payload: unknown): Format | 'unknown' {
	// An empty list is a Partner Hub batch with no events in it.
	if (Array.isArray(payload))
		return payload.length === 0 || payload.some(looksLikePartnerEvent) ? 'partner' : 'unknown';
	if (!isObject(payload)) return 'unknown';
	if (payload.object === 'whatsapp_business_account') return 'cloud';
	// Some of Meta's own examples omit `object`; an `entry` list is still the Cloud envelope.
	if (payload.object === undefined && Array.isArray(payload.entry)) return 'cloud';
	if (payload.object === undefined && typeof payload.field === 'string' && isObject(payload.value))
		return 'cloud';
	if (looksLikePartnerEvent(payload)) return 'partner';
	if (payload.object === undefined && ON_PREMISE_KEYS.some((key) => key in payload))
		return 'on_premise';
	return 'unknown';
}

/**
 * Whether a body carries the envelope of a format the user named: then that format is trusted even
 * if detection, which must pick one, would place the body elsewhere (extra keys pass through).
 */
function canBe(format: Format, body: unknown): boolean {
	if (format === 'partner') return Array.isArray(body) || (isObject(body) && 'event' in body);
	if (!isObject(body)) return false;
	if (format === 'cloud')
		return 'entry' in body || (typeof body.field === 'string' && 'value' in body);
	return true; // On-Premise: every list is optional, so any object is a (maybe empty) body.
}

const FORMAT_NAMES: Record<Format, string> = {
	cloud: 'a Cloud API payload ({"object": "whatsapp_business_account", "entry": [...]})',
	on_premise: 'an On-Premise payload (top-level "messages", "statuses", "errors" or "contacts")',
	partner: 'a Partner Hub event ({"id", "event", "data"}) or a list of them',
};

/**
 * Flattens a 360dialog webhook body into one item per event: per message, status, value-level
 * error, other change and partner event. Accepts the parsed body or its JSON text. Unknown message
 * types, statuses, change fields and partner events pass through; a body that cannot be a
 * 360dialog payload raises {@link InvalidPayloadError}.
 */
export function normalize(payload: unknown, options: NormalizeOptions = {}): NormalizedEvent[] {
	const body = typeof payload === 'string' ? parseJson(payload) : payload;
	if (!isObject(body) && !Array.isArray(body)) {
		throw new InvalidPayloadError(
			`The body must be a JSON object, got ${describe(body)}`,
			'$',
			'Pass the webhook body as 360dialog sent it.',
		);
	}
	const detected = detectFormat(body);
	const format =
		options.format === undefined || options.format === 'auto' ? detected : options.format;
	if (format === 'unknown') {
		throw new InvalidPayloadError(
			'The body is not a 360dialog webhook: it has no Cloud API envelope ("object": "whatsapp_business_account"), no On-Premise lists ("messages", "statuses", "errors", "contacts") and no Partner Hub "event"',
			'$',
			'Check that the node reads the webhook body (the field is "body" for n8n\'s Webhook node), or set the Payload Format by hand.',
		);
	}
	if (detected !== format && !canBe(format, body)) {
		throw new InvalidPayloadError(
			`Expected ${FORMAT_NAMES[format]}, but the body ${detected === 'unknown' ? 'matches no known format' : `looks like ${FORMAT_NAMES[detected]}`}`,
			'$',
			'Set Payload Format to Auto-Detect, or to the format 360dialog sends for this number.',
		);
	}
	const { emit, items } = collector(options.includeRaw === true);
	if (format === 'cloud') normalizeCloud(body as Record<string, unknown>, emit);
	else if (format === 'on_premise') normalizeOnPremise(body as Record<string, unknown>, emit);
	else normalizePartner(body, emit);
	return items;
}

/**
 * The item a trigger emits for an authenticated body it could not normalize, so that nothing is
 * lost: the whole body under `value`, and what was wrong under `problem`.
 */
export function unknownBodyEvent(
	body: unknown,
	problem: string,
	includeRaw = false,
): NormalizedEvent {
	const { emit, items } = collector(includeRaw);
	emit(
		{
			kind: 'unknown',
			event: 'unknown',
			source: 'unknown',
			id: null,
			timestamp: null,
			timestampUnix: null,
			wabaId: null,
			phoneNumberId: null,
			displayPhoneNumber: null,
			field: null,
			value: body,
			problem,
			severity: 'info',
		},
		body,
	);
	return items[0];
}

function parseJson(text: string): unknown {
	let failure: string | null = null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		failure = (error as Error).message;
	}
	if (failure !== null) {
		throw new InvalidPayloadError(
			`The body is not valid JSON: ${failure}`,
			'$',
			'360dialog sends JSON. If the body was passed as text, check that it was not cut or changed on the way.',
		);
	}
	return parsed;
}
