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

import type { NormalizedEvent } from './schemas/normalized';
import { MESSAGING_CREDENTIAL, messagingBaseUrl } from './transport';

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

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
};

/** `audio/ogg; codecs=opus` → `ogg`; unknown types fall back to their subtype, then `bin`. */
export function extensionFor(mimeType: string | null): string {
	const base = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return EXTENSIONS[base] ?? /^[a-z]+\/([a-z0-9]+)$/.exec(base)?.[1] ?? 'bin';
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

/** Meta's lookaside URL with its host replaced by the credential's base URL; path and query kept. */
export function swapHost(lookasideUrl: string, baseUrl: string): string {
	const url = new URL(lookasideUrl);
	return `${baseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

class MediaProblem extends Error {}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function get(
	context: Context,
	url: string,
	settings: MediaSettings,
	asJson: boolean,
): Promise<IN8nHttpFullResponse> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		timeout: settings.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(asJson ? { json: true } : { encoding: 'arraybuffer' }),
	};
	let response: IN8nHttpFullResponse | undefined;
	let failure = '';
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			MESSAGING_CREDENTIAL,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		failure = (error as Error).message ?? String(error);
	}
	if (response === undefined) {
		throw new MediaProblem(
			/timeout|timed out|ETIMEDOUT|ECONNABORTED/i.test(failure)
				? `Timed out after ${settings.timeoutMs / 1000} s fetching ${url}`
				: `Could not fetch ${url}: ${failure}`,
		);
	}
	if (response.statusCode === 404)
		throw new MediaProblem(
			`360dialog has no media at ${url} (404): media expire after 30 days on Cloud API and 14 days on On-Premise`,
		);
	if (response.statusCode >= 400)
		throw new MediaProblem(`360dialog answered ${response.statusCode} for ${url}`);
	return response;
}

function checkSize(bytes: number, settings: MediaSettings): void {
	if (bytes > settings.maxBytes) {
		throw new MediaProblem(
			`Skipped: the file is ${megabytes(bytes)}, over the ${megabytes(settings.maxBytes)} limit (Max Size)`,
		);
	}
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

	let bytes: Buffer;
	let mimeType = event.media?.mimeType ?? null;
	if (event.source === 'on_premise') {
		const response = await get(
			context,
			`${baseUrl}/v1/media/${encodeURIComponent(mediaId)}`,
			settings,
			false,
		);
		bytes = Buffer.from(response.body as ArrayBuffer);
		mimeType = headerOf(response.headers, 'content-type') ?? mimeType;
	} else {
		const meta = (await get(context, `${baseUrl}/${encodeURIComponent(mediaId)}`, settings, true))
			.body as IDataObject;
		if (typeof meta?.url !== 'string')
			throw new MediaProblem(`360dialog returned no download URL for media ${mediaId}`);
		if (typeof meta.file_size === 'number') checkSize(meta.file_size, settings);
		mimeType = typeof meta.mime_type === 'string' ? meta.mime_type : mimeType;
		const response = await get(context, swapHost(meta.url, baseUrl), settings, false);
		bytes = Buffer.from(response.body as ArrayBuffer);
	}
	checkSize(bytes.length, settings);
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
