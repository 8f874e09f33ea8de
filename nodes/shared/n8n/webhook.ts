import {
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { dropSeen, type SeenState } from '../core/dedup';
import { InvalidPayloadError, normalize, unknownBodyEvent } from '../core/normalize';
import { CUT_MARKER, limitDepth } from '../core/normalize/read';
import type { NormalizedEvent } from '../core/schemas/normalized';
import { redactHeaders, type AuthResult, type HeaderMap } from '../core/security';
import { withMedia, type MediaSettings } from './media';

/** What differs between the two triggers; everything else in receiving a webhook is shared. */
export interface ReceiveOptions {
	/** Checks the request's secret or signature. */
	authenticate: (headers: HeaderMap, rawBody: Buffer | undefined) => AuthResult;
	/** The event filter, compiled from the node's parameters. */
	keep: (event: NormalizedEvent) => boolean;
	includeRaw: boolean;
	includeHeaders: boolean;
	dedupe: boolean;
	/** Header names whose values never reach the output. */
	secretHeaders: readonly string[];
	/** Download media into binary data (null: off). */
	media: MediaSettings | null;
}

function reply(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

const isJsonBody = (body: unknown): body is object => typeof body === 'object' && body !== null;

/**
 * The JSON body, or undefined when there is none. n8n parses `application/json` itself, keeps
 * `text/plain` as a string, and leaves `{}` (version 1) or nothing (version 2) for a body it did
 * not parse (no or another content type); those cases read the raw bytes.
 */
function bodyOf(parsed: unknown, rawBody: Buffer | undefined): object | undefined {
	const unparsed =
		parsed === undefined ||
		typeof parsed === 'string' ||
		(isJsonBody(parsed) && !Array.isArray(parsed) && Object.keys(parsed).length === 0);
	if (!unparsed) return isJsonBody(parsed) ? parsed : undefined;
	if (rawBody === undefined || rawBody.length === 0) return undefined;
	try {
		const body: unknown = JSON.parse(rawBody.toString('utf8'));
		return isJsonBody(body) ? body : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The POST pipeline of both triggers: authenticate, parse, normalize, filter, drop retries. Every
 * rejection is answered here, before any execution starts; a request with nothing left after
 * filtering gets 200 (so 360dialog does not retry it) and starts no execution either.
 */
export async function receiveEvents(
	this: IWebhookFunctions,
	options: ReceiveOptions,
): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	// n8n leaves the body of a version 2 node unread unless its content type is one n8n parses.
	if (request.rawBody === undefined) await request.readRawBody();
	const headers = this.getHeaderData() as HeaderMap;
	const auth = options.authenticate(headers, request.rawBody);
	if (!auth.ok) return reply(this, 401, { message: auth.message });

	const parsed = bodyOf(request.body, request.rawBody);
	if (parsed === undefined) {
		return reply(this, 400, {
			message:
				'The request body must be a JSON object (or a list of Partner Hub events). 360dialog always sends JSON with Content-Type: application/json.',
		});
	}
	const body = limitDepth(parsed, MAX_BODY_DEPTH);
	if (body !== parsed) {
		this.logger.warn(
			`${this.getNode().name}: parts of a request body nested deeper than ${MAX_BODY_DEPTH} levels were replaced by "${CUT_MARKER}"`,
		);
	}

	let events: NormalizedEvent[];
	try {
		events = normalize(body, { includeRaw: options.includeRaw });
	} catch (error) {
		// Authenticated but not understood: keep it whole rather than lose it. Any other error is a
		// bug, and is logged: answering 500 would only make 360dialog retry the same body for days.
		const understood = error instanceof InvalidPayloadError;
		if (!understood)
			this.logger.error(`${this.getNode().name}: normalizing a request failed: ${String(error)}`);
		const problem = understood
			? `${error.message}. ${error.hint}`
			: `The body could not be normalized: ${String(error)}`;
		events = [unknownBodyEvent(body, problem, options.includeRaw)];
	}

	let kept: NormalizedEvent[] = [];
	let notUnderstood = 0;
	for (const event of events) {
		if (options.keep(event)) kept.push(event);
		else if (event.kind === 'unknown' && event.problem !== null) notUnderstood++;
	}
	if (notUnderstood > 0) {
		this.logger.warn(
			`${this.getNode().name}: ${notUnderstood} element(s) of a request were not understood and the event filter does not select Unknown, so they were not passed on. Select "Unknown or Malformed" in Events to receive them.`,
		);
	}
	let duplicates = 0;
	const keptBeforeDedup = kept;
	if (options.dedupe && kept.length > 0) {
		const staticData = this.getWorkflowStaticData('node');
		const seen = (staticData.seen ??= {}) as SeenState;
		const fresh = dropSeen(kept, seen, Math.floor(Date.now() / 1000)).fresh;
		duplicates = kept.length - fresh.length;
		kept = fresh;
	}
	if (kept.length === 0) {
		// Why nothing ran, for whoever looks at the answer (a person testing with curl, say, or a
		// request the editor saw arrive while it listens for a test event).
		const passed = new Set(keptBeforeDedup);
		const filtered = events.filter((event) => !passed.has(event));
		return reply(this, 200, {
			received: events.length,
			started: false,
			filteredOut: events.length - duplicates,
			duplicates,
			reason: whyNothingStarted(events.length, filtered, duplicates),
		});
	}

	const requestHeaders = options.includeHeaders
		? redactHeaders(headers, options.secretHeaders)
		: undefined;
	const items = kept.map((event) => ({
		event,
		item: {
			json: (requestHeaders
				? { ...event, headers: requestHeaders }
				: event) as unknown as IDataObject,
		},
	}));
	const output = options.media
		? await withMedia(this, items, options.media)
		: items.map(({ item }) => item);
	return {
		webhookResponse: { received: events.length, started: true, events: output.length },
		workflowData: [output],
	};
}

/** The most event names the answer of a filtered request lists. */
const MAX_NAMED = 5;

/**
 * The sentence a request that started nothing is answered with: which events the filter dropped,
 * how many were repeats, and that a test listener keeps waiting for a matching event.
 */
export function whyNothingStarted(
	received: number,
	filtered: readonly NormalizedEvent[],
	duplicates: number,
): string {
	if (received === 0) return 'The body holds no events, so no execution started.';
	const parts: string[] = [];
	if (filtered.length > 0) {
		const names = [...new Set(filtered.map((event) => event.event))];
		const shown = names.slice(0, MAX_NAMED).join(', ');
		const more = names.length > MAX_NAMED ? ` and ${names.length - MAX_NAMED} more` : '';
		parts.push(
			`${filtered.length} event(s) (${shown}${more}) do not match this node's Events setting`,
		);
	}
	if (duplicates > 0)
		parts.push(`${duplicates} event(s) were delivered before (Skip Duplicate Deliveries)`);
	return `${parts.join('; ')}, so no execution started. While the editor listens for a test event, it keeps waiting for one that matches.`;
}

/** The deepest nesting a body keeps; WhatsApp's own payloads stay under 15 levels. */
export const MAX_BODY_DEPTH = 64;

/** Answers Meta-style `hub.challenge` verification GETs; 360dialog does not send them, but it does no harm. */
export function answerChallenge(this: IWebhookFunctions): IWebhookResponseData {
	const query = this.getQueryData() as Record<string, unknown>;
	const challenge = query['hub.challenge'];
	const response = this.getResponseObject();
	if (typeof challenge === 'string' && challenge !== '') {
		response.status(200).type('text/plain').send(challenge);
	} else {
		response.status(200).json({ message: 'This webhook receives 360dialog events by POST.' });
	}
	return { noWebhookResponse: true };
}
