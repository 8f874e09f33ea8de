import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	runKey,
	dropSeen,
	inLine,
	recentKeys,
	rememberKeys,
	RUN_DEDUP_MAX_KEYS,
	type SeenState,
} from './dedup';
import { withMedia, type MediaSettings } from './media';
import { LOCK_STALE_MS, underWorkflowLock } from './workflowLock';
import { InvalidPayloadError, normalize, unknownBodyEvent } from './normalize';
import { CUT_MARKER, limitDepth } from './normalize/read';
import type { NormalizedEvent } from './schemas/normalized';
import { holdsRegistration } from './registration';
import { redactHeaders, type AuthResult, type HeaderMap } from './security';

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

/**
 * The triggers' execute(): n8n runs it as the first node of each run a webhook starts, with the
 * items webhook() returned. With Skip Duplicate Deliveries on, the run decides:
 *
 * - It asks n8n's processed-data table (`checkProcessedAndRecord`, scoped to this node, in n8n's
 *   database) which events were recorded before, records the others, and passes on only those. With
 *   several webhook processes the static-data check in webhook() races (each request loads and saves
 *   the whole static data), so a redelivery can reach the run; it ends here with no items. n8n's
 *   helper reads, then writes back, its list: the check runs in line within a process and under
 *   the workflow's lock across processes (workflowLock.ts), so two workers never both pass one event.
 * - It also writes the keys to static data, the fast pre-filter webhook() reads. Writing them in
 *   webhook() alone is not enough in n8n 2.40.7: starting the run resets the "changed" flag before
 *   n8n would save them, and the run reloads static data from the database. Only a run whose static
 *   data holds the registration writes (see holdsRegistration): a queue-mode worker's run starts
 *   from empty static data, and saving it would wipe the secret and the previous URL. In queue mode
 *   the pre-filter therefore learns nothing, and redeliveries end here.
 *
 * Test runs (manual mode) skip the database, as they skip static data. If the table cannot be read
 * or written twice in a row, the items pass: a duplicate is better than a lost event.
 */
export async function recordSeenInRun(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0 || this.getNodeParameter('dedupe', 0, true) !== true) return [items];
	const events = items.map(({ json }) => withoutAdditions(json) as unknown as NormalizedEvent);
	const state = this.getWorkflowStaticData('node');
	if (holdsRegistration(state)) {
		const seen = (state.seen ??= {}) as SeenState;
		dropSeen(events, seen, Math.floor(Date.now() / 1000));
	}
	if (this.getMode() === 'manual') return [items];

	const now = Math.floor(Date.now() / 1000);
	const keys = events.map((event) => runKey(event, now));
	const fresh = await newInDatabase(this, keys);
	if (fresh === undefined) return [items];
	const passed = new Set<string>();
	return [
		items.filter((_, index) => {
			const key = keys[index];
			if (!fresh.has(key) || passed.has(key)) return false;
			passed.add(key);
			return true;
		}),
	];
}

/** The keys n8n's processed-data table had not seen (now recorded), or undefined if it failed. */
async function newInDatabase(
	context: IExecuteFunctions,
	keys: string[],
): Promise<Set<string> | undefined> {
	const line = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	const own = new Set(keys);
	const check = async () => {
		// This process's recent keys go along, so that ones another worker overwrote are put back;
		// and one this process passed before is a duplicate even if the table lost it meanwhile.
		const passedHere = new Set(recentKeys(line));
		const asked = [...new Set([...keys, ...passedHere])];
		const result = await context.helpers.checkProcessedAndRecord(asked, 'node', {
			mode: 'entries',
			maxEntries: RUN_DEDUP_MAX_KEYS,
		});
		rememberKeys(line, [...own]);
		return result.new.map(String).filter((key) => own.has(key) && !passedHere.has(key));
	};
	// In line per process; across processes (queue mode) under the workflow's lock, which makes the
	// read-then-write of n8n's list atomic so two workers cannot both pass one redelivered event.
	const workflowId = String(context.getWorkflow().id ?? '');
	const checkLocked = async () => {
		const outcome = await underWorkflowLock(context.helpers, workflowId, check);
		if (!outcome.ran) throw new NodeOperationError(context.getNode(), outcome.error);
		if (outcome.releaseError !== undefined) {
			context.logger.warn(
				`360dialog: could not free the duplicate-check lock, other runs wait up to ${LOCK_STALE_MS / 1000} s: ${outcome.releaseError.message}`,
			);
		}
		return outcome.result;
	};
	for (let attempt = 1; ; attempt++) {
		try {
			return new Set(await inLine(line, checkLocked));
		} catch (error) {
			// The first runs of a node race to insert its row; the loser's second try updates it.
			if (attempt === 2) {
				context.logger.warn(
					`360dialog: could not check n8n's processed data, passing ${keys.length} event(s) on: ${(error as Error).message}`,
				);
				return undefined;
			}
		}
	}
}

/**
 * An item's event without what the trigger adds to it, so its dedup key matches webhook()'s
 * (undefined keys drop out of the content hash).
 */
const withoutAdditions = (json: IDataObject): IDataObject =>
	'headers' in json || 'mediaError' in json
		? { ...json, headers: undefined, mediaError: undefined }
		: json;

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
