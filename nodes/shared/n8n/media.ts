import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { NormalizedEvent } from '../core/schemas/normalized';
import { MESSAGING_CREDENTIAL, messagingBaseUrl } from './transport';
import { withoutTrailingSlash } from '../core/parameters';

/**
 * Media download through 360dialog. Cloud API: `GET {base}/{media id}` returns Meta's media object
 * with a `url` on Meta's lookaside host, which a 360dialog key cannot call; the same path and query
 * on the 360dialog host serves the bytes. On-Premise API: `GET {base}/v1/media/{id}` serves them
 * directly. A failure never drops the event: the item keeps every field and gains `mediaError`.
 */

type Context = IExecuteFunctions | IWebhookFunctions;

export interface MediaSettings {
	binaryProperty: string;
	maxBytes: number;
	timeoutMs: number;
}

export const MEDIA_TIMEOUT_MS = 30_000;

const EXTENSIONS = new Map<string, string>([
	['image/jpeg', 'jpg'],
	['image/png', 'png'],
	['image/webp', 'webp'],
	['video/mp4', 'mp4'],
	['video/3gpp', '3gp'],
	['audio/ogg', 'ogg'],
	['audio/mpeg', 'mp3'],
	['audio/mp4', 'm4a'],
	['audio/aac', 'aac'],
	['audio/amr', 'amr'],
	['application/pdf', 'pdf'],
	['text/plain', 'txt'],
]);

/** `audio/ogg; codecs=opus` → `ogg`; unknown types fall back to their subtype, then `bin`. */
export function extensionFor(mimeType: string | null): string {
	const base = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return EXTENSIONS.get(base) ?? /^[a-z]+\/([a-z0-9]+)$/.exec(base)?.[1] ?? 'bin';
}

/** The document's own file name, or one built from the message id and the MIME type. */
export function fileNameFor(
	event: { messageId: string | null; media: { id: string | null; filename: string | null } | null },
	mimeType: string | null,
): string {
	if (event.media?.filename) return event.media.filename;
	const stem = (event.messageId ?? event.media?.id ?? 'media').replace(/[^\w.-]+/g, '_');
	return `${stem}.${extensionFor(mimeType)}`;
}

/**
 * Meta's lookaside URL moved onto the credential's base URL: the base's origin and path, then the
 * lookaside URL's path and query. Null for anything that would leave the base URL's origin (the API
 * key goes with the request): a URL that is not http(s), carries a user name, or does not parse.
 */
export function swapHost(lookasideUrl: string, baseUrl: string): string | null {
	let source: URL;
	let base: URL;
	try {
		source = new URL(lookasideUrl);
		base = new URL(baseUrl);
	} catch {
		return null;
	}
	if (!['https:', 'http:'].includes(source.protocol) || source.username || source.password)
		return null;
	const target = new URL(base.origin);
	target.pathname = `${withoutTrailingSlash(base.pathname)}${source.pathname}`;
	target.search = source.search;
	return target.origin === base.origin ? target.toString() : null;
}

class MediaProblem extends Error {}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** How many redirects a download follows. */
const MAX_REDIRECTS = 3;

type Mode = 'json' | 'bytes';

/**
 * One GET. Redirects are followed here, not by the HTTP client: the API key goes only to the
 * credential's own origin, and a redirect elsewhere (a CDN) is fetched without it.
 */
async function get(
	context: Context,
	url: string,
	origin: string,
	settings: MediaSettings,
	mode: Mode,
): Promise<IN8nHttpFullResponse> {
	let current = url;
	for (let hop = 0; ; hop++) {
		const response = await send(
			context,
			current,
			new URL(current).origin === origin,
			settings,
			mode,
		);
		const location = headerOf(response.headers, 'location');
		if (response.statusCode < 300 || response.statusCode >= 400 || location === null)
			return checkStatus(response, current);
		discard(response);
		if (hop >= MAX_REDIRECTS)
			throw new MediaProblem(`Gave up after ${MAX_REDIRECTS} redirects fetching ${url}`);
		current = new URL(location, current).toString();
	}
}

async function send(
	context: Context,
	url: string,
	withKey: boolean,
	settings: MediaSettings,
	mode: Mode,
): Promise<IN8nHttpFullResponse> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		timeout: settings.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		...(mode === 'json' ? { json: true } : { encoding: 'stream' }),
	};
	let response: IN8nHttpFullResponse | undefined;
	let failure = '';
	try {
		response = (
			withKey
				? await context.helpers.httpRequestWithAuthentication.call(
						context,
						MESSAGING_CREDENTIAL,
						options,
					)
				: await context.helpers.httpRequest(options)
		) as IN8nHttpFullResponse;
	} catch (error) {
		failure = (error as Error).message ?? String(error);
	}
	if (response !== undefined) return response;
	// Thrown outside the catch: the reason becomes the item's mediaError, not a node error.
	throw new MediaProblem(
		/timeout|timed out|ETIMEDOUT|ECONNABORTED/i.test(failure)
			? `Timed out after ${settings.timeoutMs / 1000} s fetching ${url}`
			: `Could not fetch ${url}: ${failure}`,
	);
}

function checkStatus(response: IN8nHttpFullResponse, url: string): IN8nHttpFullResponse {
	if (response.statusCode < 400) return response;
	discard(response);
	if (response.statusCode === 404)
		throw new MediaProblem(
			`360dialog has no media at ${url} (404): media expire after 30 days on Cloud API and 14 days on On-Premise`,
		);
	throw new MediaProblem(`360dialog answered ${response.statusCode} for ${url}`);
}

/** Closes a streamed body that will not be read, so its connection is freed. */
function discard(response: IN8nHttpFullResponse): void {
	const body = response.body as { destroy?: () => void } | null;
	if (body && typeof body.destroy === 'function') body.destroy();
}

function checkSize(bytes: number, settings: MediaSettings): void {
	if (bytes > settings.maxBytes) {
		throw new MediaProblem(
			bytes === Infinity
				? `Skipped: the file is over the ${megabytes(settings.maxBytes)} limit (Max Size); the download was stopped there`
				: `Skipped: the file is ${megabytes(bytes)}, over the ${megabytes(settings.maxBytes)} limit (Max Size)`,
		);
	}
}

/**
 * The body's bytes, stopping as soon as they pass Max Size: the declared Content-Length is checked
 * first, then the count while reading, so a large file is never held in memory whole.
 */
async function readBytes(response: IN8nHttpFullResponse, settings: MediaSettings): Promise<Buffer> {
	const declared = Number(headerOf(response.headers, 'content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > settings.maxBytes) {
		discard(response);
		checkSize(declared, settings);
	}
	const body = response.body as AsyncIterable<Buffer | string> | Buffer | ArrayBuffer;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += bytes.length;
		if (size > settings.maxBytes) {
			discard(response);
			// Stopped while reading: the real size is unknown, only that it is past the limit.
			checkSize(Infinity, settings);
		}
		chunks.push(bytes);
	}
	return Buffer.concat(chunks);
}

const headerOf = (headers: IDataObject, name: string): string | null => {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' ? value : null;
};

/** Downloads one event's media. Throws MediaProblem with a reason a person can act on. */
async function fetchMedia(
	context: Context,
	event: NormalizedEvent,
	baseUrl: string,
	settings: MediaSettings,
): Promise<IBinaryData> {
	if (event.kind !== 'message' && event.kind !== 'echo') throw new MediaProblem('Not a message');
	const mediaId = event.media?.id;
	if (!mediaId) throw new MediaProblem('The message has no media id');
	const origin = new URL(baseUrl).origin;

	let url: string;
	let mimeType = event.media?.mimeType ?? null;
	if (event.source === 'on_premise') {
		url = `${baseUrl}/v1/media/${encodeURIComponent(mediaId)}`;
	} else {
		const meta = (
			await get(context, `${baseUrl}/${encodeURIComponent(mediaId)}`, origin, settings, 'json')
		).body as IDataObject;
		if (typeof meta?.url !== 'string')
			throw new MediaProblem(`360dialog returned no download URL for media ${mediaId}`);
		if (typeof meta.file_size === 'number') checkSize(meta.file_size, settings);
		mimeType = typeof meta.mime_type === 'string' ? meta.mime_type : mimeType;
		const swapped = swapHost(meta.url, baseUrl);
		if (swapped === null)
			throw new MediaProblem(
				`360dialog returned a download URL that cannot be fetched through ${origin}: ${meta.url.slice(0, 200)}`,
			);
		url = swapped;
	}
	const response = await get(context, url, origin, settings, 'bytes');
	const bytes = await readBytes(response, settings);
	if (event.source === 'on_premise')
		mimeType = headerOf(response.headers, 'content-type') ?? mimeType;
	return await context.helpers.prepareBinaryData(
		bytes,
		fileNameFor(event, mimeType),
		mimeType ?? 'application/octet-stream',
	);
}

/**
 * Items for a list of events, with media downloaded for the messages that carry it. Downloads run
 * one after another: 360dialog blocks a number for 30 minutes after 20 media errors in an hour.
 */
export async function withMedia(
	context: Context,
	events: Array<{ event: NormalizedEvent; item: INodeExecutionData }>,
	settings: MediaSettings,
): Promise<INodeExecutionData[]> {
	const credentials = await context.getCredentials(MESSAGING_CREDENTIAL);
	const baseUrl = messagingBaseUrl(credentials);
	const out: INodeExecutionData[] = [];
	for (const { event, item } of events) {
		const hasMedia = (event.kind === 'message' || event.kind === 'echo') && event.media?.id;
		if (!hasMedia) {
			out.push(item);
			continue;
		}
		try {
			const binary = await fetchMedia(context, event, baseUrl, settings);
			out.push({ ...item, binary: { ...(item.binary ?? {}), [settings.binaryProperty]: binary } });
		} catch (error) {
			const reason =
				error instanceof MediaProblem
					? error.message
					: `Could not download the media: ${(error as Error).message}`;
			out.push({ ...item, json: { ...item.json, mediaError: reason } });
		}
	}
	return out;
}

/** Download Media parameters, shared by the trigger and the Normalize node. */
export function mediaProperties(delayWarning: string): INodeProperties[] {
	const show = { downloadMedia: [true] };
	return [
		{
			displayName: 'Download Media',
			name: 'downloadMedia',
			type: 'boolean',
			default: false,
			description: `Whether to download images, videos, audio, voice notes, documents and stickers into the item's binary data. ${delayWarning} A failed download (expired, missing, too large, timed out) keeps the item and adds a mediaError field.`,
		},
		{
			displayName: 'Binary Property',
			name: 'binaryProperty',
			type: 'string',
			default: 'data',
			displayOptions: { show },
			description: 'The binary field to put the file in',
		},
		{
			displayName: 'Max Size (MB)',
			name: 'maxSizeMb',
			type: 'number',
			default: 25,
			typeOptions: { minValue: 0 },
			displayOptions: { show },
			description:
				'Larger files are skipped with a reason in mediaError (WhatsApp media can be up to 100 MB)',
		},
	];
}

/** The media settings from a node's parameters, or null when Download Media is off. */
export function mediaSettings(
	getParameter: (name: string, fallback: unknown) => unknown,
): MediaSettings | null {
	if (getParameter('downloadMedia', false) !== true) return null;
	return {
		binaryProperty: String(getParameter('binaryProperty', 'data') || 'data'),
		maxBytes: Number(getParameter('maxSizeMb', 25)) * 1024 * 1024,
		timeoutMs: MEDIA_TIMEOUT_MS,
	};
}
