import type { NormalizedEvent } from '../schemas/normalized';
import { normalizeCloud } from './cloud';
import { collector, type Sink } from './emit';
import { normalizeOnPremise } from './onPremise';
import { normalizePartner } from './partner';
import { describe, InvalidPayloadError, isObject, type JsonObject } from './read';

export { InvalidPayloadError } from './read';
export { MAX_EVENTS_PER_BODY } from './emit';

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
	if (!Array.isArray(payload)) return detectBody(payload);
	// An empty list is a Partner Hub batch with no events in it.
	if (payload.length === 0 || payload.some(looksLikePartnerEvent)) return 'partner';
	// Relays batch Cloud API (or On-Premise) bodies in a list: each element is a body of its own.
	for (const element of payload) {
		const format = detectBody(element);
		if (format !== 'unknown') return format;
	}
	return 'unknown';
}

function detectBody(payload: unknown): Format | 'unknown' {
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
	if (Array.isArray(body))
		return (
			format === 'partner' ||
			body.some((element) => !Array.isArray(element) && canBe(format, element))
		);
	if (format === 'partner') return isObject(body) && 'event' in body;
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

/** The options with their defaults, or a TypeError that says what is wrong with them. */
function readOptions(options: unknown): { format: Format | 'auto'; includeRaw: boolean } {
	if (options === undefined || options === null) return { format: 'auto', includeRaw: false };
	if (typeof options !== 'object' || Array.isArray(options)) {
		throw new TypeError(
			`normalize(payload, options): options must be an object such as { format: 'auto', includeRaw: false }, got ${describe(options)}`,
		);
	}
	const { format = 'auto', includeRaw = false } = options as Record<string, unknown>;
	if (format !== 'auto' && !(FORMATS as readonly unknown[]).includes(format)) {
		throw new TypeError(
			`normalize(payload, options): options.format must be "auto", ${FORMATS.map((name) => `"${name}"`).join(', ')}; got ${describe(format)}`,
		);
	}
	if (typeof includeRaw !== 'boolean') {
		throw new TypeError(
			`normalize(payload, options): options.includeRaw must be true or false, got ${describe(includeRaw)}`,
		);
	}
	return { format: format as Format | 'auto', includeRaw };
}

function normalizeBody(format: Format, body: unknown, out: Sink, root: string): void {
	if (format === 'cloud') normalizeCloud(body as JsonObject, out, root);
	else if (format === 'on_premise') normalizeOnPremise(body as JsonObject, out, root);
	else normalizePartner(body, out, root);
}

/**
 * Flattens a 360dialog webhook body into one item per event: per message, status, value-level
 * error, other change and partner event. Accepts the parsed body or its JSON text, and a list of
 * bodies as relays batch them. Unknown message types, statuses, change fields and partner events
 * pass through; an element that is not what its place requires becomes an `unknown` item with its
 * path and the reason, and its siblings are read as usual. Only a body that cannot be a 360dialog
 * payload at all raises {@link InvalidPayloadError}.
 */
export function normalize(payload: unknown, options?: NormalizeOptions | null): NormalizedEvent[] {
	const { format: named, includeRaw } = readOptions(options);
	const body = typeof payload === 'string' ? parseJson(payload) : payload;
	if (!isObject(body) && !Array.isArray(body)) {
		throw new InvalidPayloadError(
			`The body must be a JSON object, got ${describe(body)}`,
			'$',
			'Pass the webhook body as 360dialog sent it.',
		);
	}
	const detected = detectFormat(body);
	const format = named === 'auto' ? detected : named;
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
	const out = collector(format, includeRaw);
	if (Array.isArray(body) && format !== 'partner') {
		out.forEach(
			body,
			() => '$',
			(element, index) => {
				const own = named === 'auto' ? detectBody(element) : format;
				if (own !== 'unknown' && canBe(own, element))
					normalizeBody(own, element, out, `$[${index}]`);
				else
					out.invalid(
						element,
						() => `$[${index}]`,
						() =>
							`A list of webhook bodies must hold only bodies, got ${describe(element)}${isObject(element) ? ' that matches no known format' : ''}`,
					);
			},
		);
	} else {
		normalizeBody(format, body, out, '$');
	}
	return out.finish();
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
	const out = collector('unknown', includeRaw);
	out.invalid(
		body,
		() => '$',
		() => problem,
	);
	return out.finish()[0];
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
