/**
 * A local stand-in for the parts of 360dialog that this package talks to, for tests and manual runs.
 * On Node's http module, no dependencies: jest imports it, and
 * `node -r ./scripts/register-ts.js test/simulator/simulator.ts --port 5800 --seed` (npm run
 * simulator -- --port 5800 --seed) runs it standalone.
 *
 * What it serves (see test/simulator/README.md for the full list):
 * - Messaging API (header D360-API-KEY): /v1/configs/webhook, /multi_webhook, Cloud media
 *   (/{mediaId} and /whatsapp_business/attachments/?mid=...), On-Premise media (/v1/media/{id}),
 *   sends and mark-as-read (Cloud /messages, On-Premise /v1/messages), media upload and delete,
 *   and the template list (/v1/configs/templates); sends are recorded (sent()) and can be failed.
 * - Partner API (header X-API-Key): /partners/{partnerId}/webhook_url (also under /api/v2).
 * - A sender that plays 360dialog's side of a webhook: POSTs payloads to the registered URLs, with
 *   retries, multi-webhook fan-out after a 200 from the main URL, and the partner HMAC signature.
 * - Capture: POST /__capture/{tag} stores what a workflow sends; GET /__sim/captures/{tag} reads it.
 * - Control API under /__sim/ to register numbers, partners and media, and to inspect everything.
 *
 * Deliveries only go to loopback addresses (127.0.0.0/8, localhost, ::1). Any other URL, such as
 * the pre-seeded "previous" webhook URL, is recorded as a refused attempt and never contacted.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import type {
	Capture,
	DeliveryAttempt,
	DeliveryFilter,
	DeliveryOptions,
	DeliveryOutcome,
	Destination,
	Failure,
	Headers,
	MediaInfo,
	MediaOptions,
	MessagingDeliveryResult,
	NumberOptions,
	NumberState,
	PartnerDeliveryOptions,
	PartnerOptions,
	PartnerState,
	RecordedRequest,
	RequestFilter,
	SentFilter,
	SentRecord,
	SimulatorClient,
	SimulatorOptions,
	SimulatorState,
	WaitOptions,
} from './types';

export type * from './types';

export const DEFAULT_PREVIOUS_WEBHOOK_URL = 'https://previous-webhook.example.invalid/360dialog';
export const DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL = 'https://previous-partner-webhook.example.invalid/hub';
export const SIGNATURE_HEADER = 'x-360dialog-signature';
export const MAX_MULTI_WEBHOOK_DESTINATIONS = 3;
const LOOKASIDE_ORIGIN = 'https://lookaside.fbsbx.com';

const DEFAULT_DELIVERY: Required<DeliveryOptions> = { retries: 3, retryDelayMs: 200, timeoutMs: 10000 };

/** A JSON object as read from a request body; its fields are checked where they are used. */
type JsonObject = Record<string, unknown>;

/** A media file the simulator holds for one number. */
interface StoredMedia {
	id: string;
	mimeType: string;
	sha256: string;
	fileSize: number;
	data: Buffer;
	hash: string;
	ext: string;
}

/** What one POST to a webhook URL gave. */
interface PostResult {
	status: number | null;
	error: string | null;
	responseBody: string | null;
	durationMs: number;
}

interface MultipartPart {
	name: string;
	filename: string | null;
	contentType: string | null;
	data: Buffer;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
	) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
	}
}

const metaError = (status: number, message: string) => ({
	meta: { success: false, http_code: status, developer_message: message },
});

const graphError = (message: string, code = 100) => ({
	error: {
		message,
		type: 'OAuthException',
		code,
		fbtrace_id: 'sim' + crypto.randomBytes(6).toString('hex'),
	},
});

function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The value as a JSON object, or null when it is not one. */
function asObject(value: unknown): JsonObject | null {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function isLoopbackUrl(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
	const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Lowercase hex HMAC-SHA256, as in x-360dialog-signature. */
export function hmacHex(secret: string, body: Buffer | string): string {
	return crypto.createHmac('sha256', secret).update(body).digest('hex');
}

function toBuffer(payload: unknown): Buffer {
	if (Buffer.isBuffer(payload)) return payload;
	if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
	return Buffer.from(JSON.stringify(payload), 'utf8');
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function headersObject(headers: http.IncomingHttpHeaders | undefined): Headers {
	const out: Headers = {};
	for (const [key, value] of Object.entries(headers || {})) {
		if (value !== undefined)
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

function validateHeaders(headers: unknown, where: string): Headers {
	if (headers === undefined || headers === null) return {};
	if (typeof headers !== 'object' || Array.isArray(headers)) {
		throw new HttpError(400, { error: `${where}: headers must be an object of strings` });
	}
	for (const value of Object.values(headers)) {
		if (typeof value !== 'string')
			throw new HttpError(400, { error: `${where}: header values must be strings` });
	}
	return { ...(headers as Headers) };
}

/** POST one body to one URL; resolves with what happened, never rejects. */
function postOnce(url: string, body: Buffer, headers: Headers, timeoutMs: number): Promise<PostResult> {
	return new Promise((resolve) => {
		const startedAt = Date.now();
		if (!isLoopbackUrl(url)) {
			resolve({
				status: null,
				error: 'refused: the simulator only delivers to loopback URLs',
				responseBody: null,
				durationMs: 0,
			});
			return;
		}
		const target = new URL(url);
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(
			target,
			{
				method: 'POST',
				headers: { ...headers, 'content-length': String(body.length) },
				timeout: timeoutMs,
				rejectUnauthorized: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? null,
						error: null,
						responseBody: Buffer.concat(chunks).toString('utf8'),
						durationMs: Date.now() - startedAt,
					}),
				);
				res.on('error', (error) =>
					resolve({
						status: res.statusCode ?? null,
						error: error.message,
						responseBody: null,
						durationMs: Date.now() - startedAt,
					}),
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', (error) =>
			resolve({
				status: null,
				error: error.message,
				responseBody: null,
				durationMs: Date.now() - startedAt,
			}),
		);
		req.end(body);
	});
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseJson(raw: Buffer, { required = true } = {}): unknown {
	if (raw.length === 0) {
		if (required) throw new HttpError(400, { error: 'request body must be JSON' });
		return undefined;
	}
	try {
		return JSON.parse(raw.toString('utf8')) as unknown;
	} catch {
		throw new HttpError(400, { error: 'request body is not valid JSON' });
	}
}

/** The parts of a multipart/form-data body: name, filename (null for fields), content type, bytes. */
function parseMultipart(raw: Buffer, boundary: string): MultipartPart[] {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let start = raw.indexOf(delimiter);
	while (start !== -1) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next === -1) break;
		const chunk = raw.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after, before
		const split = chunk.indexOf('\r\n\r\n');
		if (split !== -1) {
			const head = chunk.subarray(0, split).toString('utf8');
			const name = /name="([^"]*)"/.exec(head);
			const filename = /filename="([^"]*)"/.exec(head);
			const type = /content-type:\s*([^\r\n]+)/i.exec(head);
			parts.push({
				name: name ? name[1] : '',
				filename: filename ? filename[1] : null,
				contentType: type ? type[1].trim() : null,
				data: chunk.subarray(split + 4),
			});
		}
		start = next;
	}
	return parts;
}

/** Where a delivery attempt went, before the attempt's own fields. */
type DeliveryTarget = Pick<DeliveryAttempt, 'kind' | 'target' | 'apiKey' | 'partnerId'>;

export class Simulator {
	/** http://127.0.0.1:<port>, set once started. */
	url = '';
	port = 0;
	private deliveryDefaults: Required<DeliveryOptions>;
	private server: http.Server | null = null;
	private readonly sockets = new Set<Socket>();
	private numbers = new Map<string, NumberState>();
	private partners = new Map<string, PartnerState>();
	/** apiKey -> media id -> media */
	private media = new Map<string, Map<string, StoredMedia>>();
	private captureLists = new Map<string, Capture[]>();
	private deliveryLog: DeliveryAttempt[] = [];
	private requestLog: RecordedRequest[] = [];
	private sentLog: SentRecord[] = [];
	/** apiKey -> failures answered to the next sends */
	private failures = new Map<string, Failure[]>();
	private seq = 0;

	constructor(private readonly options: SimulatorOptions = {}) {
		this.deliveryDefaults = { ...DEFAULT_DELIVERY, ...(options.delivery || {}) };
		this.resetState();
	}

	private resetState(): void {
		this.numbers = new Map();
		this.partners = new Map();
		this.media = new Map();
		this.captureLists = new Map();
		this.deliveryLog = [];
		this.requestLog = [];
		this.sentLog = [];
		this.failures = new Map();
		this.seq = 0;
		for (const number of this.options.numbers || []) this.addNumber(number);
		for (const partner of this.options.partners || []) this.addPartner(partner);
	}

	// ---------------------------------------------------------------- lifecycle

	async start(port = this.options.port ?? 0, host = this.options.host ?? '127.0.0.1'): Promise<this> {
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: Error) => {
				if (!res.headersSent) this.send(res, 500, { error: String(error && error.message) });
			});
		});
		this.server = server;
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.port = (server.address() as AddressInfo).port;
		this.url = `http://127.0.0.1:${this.port}`;
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		const server = this.server;
		this.server = null;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}

	// ---------------------------------------------------------------- registrations

	addNumber(options: NumberOptions): NumberState {
		if (!options || typeof options.apiKey !== 'string' || options.apiKey === '') {
			throw new HttpError(400, { error: 'apiKey (string) is required' });
		}
		const kind = options.kind || 'cloud';
		if (kind !== 'cloud' && kind !== 'onpremise')
			throw new HttpError(400, { error: "kind must be 'cloud' or 'onpremise'" });
		const webhook =
			options.webhook === undefined
				? { url: DEFAULT_PREVIOUS_WEBHOOK_URL, headers: {} }
				: options.webhook;
		const number: NumberState = {
			apiKey: options.apiKey,
			kind,
			phoneNumberId: options.phoneNumberId || String(100000000000000 + this.numbers.size + 1),
			displayPhoneNumber:
				options.displayPhoneNumber || '15550000' + String(this.numbers.size + 1).padStart(3, '0'),
			wabaId: options.wabaId || String(200000000000000 + this.numbers.size + 1),
			webhook:
				webhook === null
					? { url: null, headers: {} }
					: { url: webhook.url ?? null, headers: { ...(webhook.headers || {}) } },
			multiWebhook: {
				enabled: Boolean(options.multiWebhook && options.multiWebhook.enabled),
				destinations: clone((options.multiWebhook && options.multiWebhook.destinations) || []),
			},
			templates: clone(options.templates || []),
		};
		this.numbers.set(number.apiKey, number);
		if (!this.media.has(number.apiKey)) this.media.set(number.apiKey, new Map());
		return clone(number);
	}

	addPartner(options: PartnerOptions): PartnerState {
		for (const field of ['partnerId', 'apiKey', 'platformSecret'] as const) {
			if (!options || typeof options[field] !== 'string' || options[field] === '') {
				throw new HttpError(400, { error: `${field} (string) is required` });
			}
		}
		const partner: PartnerState = {
			partnerId: options.partnerId,
			apiKey: options.apiKey,
			platformSecret: options.platformSecret,
			brandName: options.brandName || 'Simulated Partner',
			webhookUrl:
				options.webhookUrl === undefined
					? DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL
					: options.webhookUrl,
			// Custom headers can only be set in the Partner Hub UI; the simulator sends them if registered here.
			webhookHeaders: { ...(options.webhookHeaders || {}) },
		};
		this.partners.set(partner.partnerId, partner);
		return clone(partner);
	}

	/** The media of a registered number (every registered number has a map). */
	private mediaOf(apiKey: string): Map<string, StoredMedia> {
		const map = this.media.get(apiKey);
		if (!map) throw new HttpError(404, { error: `no number with apiKey ${apiKey}` });
		return map;
	}

	addMedia(apiKey: string, options: MediaOptions): MediaInfo {
		const number = this.numbers.get(apiKey);
		if (!number) throw new HttpError(404, { error: `no number with apiKey ${apiKey}` });
		if (!options || typeof options.mimeType !== 'string')
			throw new HttpError(400, { error: 'mimeType is required' });
		let data: Buffer;
		if (Buffer.isBuffer(options.data)) data = options.data;
		else if (typeof options.base64 === 'string') data = Buffer.from(options.base64, 'base64');
		else if (typeof options.data === 'string') data = Buffer.from(options.data, 'utf8');
		else if (typeof options.text === 'string') data = Buffer.from(options.text, 'utf8');
		else throw new HttpError(400, { error: 'one of data, base64 or text is required' });
		const id =
			options.id ||
			(number.kind === 'onpremise'
				? crypto.randomUUID()
				: String(900000000000000 + Math.floor(Math.random() * 1e14)));
		const hash = crypto.randomBytes(8).toString('hex');
		const media: StoredMedia = {
			id,
			mimeType: options.mimeType,
			sha256: crypto.createHash('sha256').update(data).digest('hex'),
			fileSize: data.length,
			data,
			hash,
			ext: String(Math.floor(Date.now() / 1000) + 300),
		};
		this.mediaOf(apiKey).set(id, media);
		return this.mediaInfo(media);
	}

	private mediaInfo(media: StoredMedia): MediaInfo {
		return {
			id: media.id,
			mime_type: media.mimeType,
			sha256: media.sha256,
			file_size: media.fileSize,
			url: `${LOOKASIDE_ORIGIN}/whatsapp_business/attachments/?mid=${encodeURIComponent(media.id)}&ext=${media.ext}&hash=${media.hash}`,
		};
	}

	number(apiKey: string): NumberState | undefined {
		return clone(this.numbers.get(apiKey));
	}

	partner(partnerId: string): PartnerState | undefined {
		return clone(this.partners.get(partnerId));
	}

	state(): SimulatorState {
		const media: Record<string, MediaInfo[]> = {};
		for (const [apiKey, map] of this.media)
			media[apiKey] = [...map.values()].map((m) => this.mediaInfo(m));
		return {
			url: this.url,
			delivery: { ...this.deliveryDefaults },
			numbers: [...this.numbers.values()].map(clone),
			partners: [...this.partners.values()].map(clone),
			media,
			captureTags: [...this.captureLists.keys()],
		};
	}

	/** Change the default retry policy. */
	configure(delivery: DeliveryOptions): Required<DeliveryOptions> {
		for (const key of Object.keys(DEFAULT_DELIVERY) as Array<keyof DeliveryOptions>) {
			if (delivery && delivery[key] !== undefined) {
				const value = Number(delivery[key]);
				if (!Number.isFinite(value) || value < 0)
					throw new HttpError(400, { error: `${key} must be a number >= 0` });
				this.deliveryDefaults[key] = value;
			}
		}
		return { ...this.deliveryDefaults };
	}

	/** Back to the registrations given at start; clears captures, deliveries and requests. */
	reset(): void {
		this.deliveryDefaults = { ...DEFAULT_DELIVERY, ...(this.options.delivery || {}) };
		this.resetState();
	}

	// ---------------------------------------------------------------- records

	captures(tag: string): Capture[] {
		return clone(this.captureLists.get(tag) || []);
	}

	clearCaptures(tag?: string): void {
		if (tag === undefined) this.captureLists.clear();
		else this.captureLists.delete(tag);
	}

	async waitForCaptures(tag: string, { count = 1, timeoutMs = 15000, intervalMs = 50 }: WaitOptions = {}): Promise<Capture[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const items = this.captures(tag);
			if (items.length >= count) return items;
			if (Date.now() >= deadline) {
				throw new Error(
					`timed out after ${timeoutMs} ms waiting for ${count} capture(s) on '${tag}' (have ${items.length})`,
				);
			}
			await sleep(intervalMs);
		}
	}

	deliveries(filter: DeliveryFilter = {}): DeliveryAttempt[] {
		return clone(
			this.deliveryLog.filter(
				(d) =>
					(filter.apiKey === undefined || d.apiKey === filter.apiKey) &&
					(filter.partnerId === undefined || d.partnerId === filter.partnerId) &&
					(filter.kind === undefined || d.kind === filter.kind),
			),
		);
	}

	/** Calls made to the simulated 360dialog APIs (not the control API or captures). */
	requests(filter: RequestFilter = {}): RecordedRequest[] {
		return clone(
			this.requestLog.filter(
				(r) =>
					(filter.method === undefined || r.method === filter.method) &&
					(filter.path === undefined || r.path === filter.path),
			),
		);
	}

	/**
	 * What the Messaging API received on /messages and /v1/messages (sends and mark-as-read), media
	 * upload and delete: parsed JSON bodies, the headers, and what the simulator answered.
	 */
	sent(filter: SentFilter = {}): SentRecord[] {
		return clone(
			this.sentLog.filter(
				(entry) =>
					(filter.apiKey === undefined || entry.apiKey === filter.apiKey) &&
					(filter.kind === undefined || entry.kind === filter.kind),
			),
		);
	}

	/** Answer the number's next send (or mark-as-read) with this status and body instead. */
	failNext(apiKey: string, failure: Failure): { queued: number } {
		if (!this.numbers.has(apiKey)) throw new HttpError(404, { error: `no number with apiKey ${apiKey}` });
		if (!failure || typeof failure.status !== 'number')
			throw new HttpError(400, { error: 'status (number) is required' });
		const queue = this.failures.get(apiKey) ?? [];
		this.failures.set(apiKey, queue);
		queue.push({ status: failure.status, body: failure.body ?? {} });
		return { queued: queue.length };
	}

	/** Replace a number's message templates (what GET /v1/configs/templates lists). */
	setTemplates(apiKey: string, templates: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
		const number = this.numbers.get(apiKey);
		if (!number) throw new HttpError(404, { error: `no number with apiKey ${apiKey}` });
		if (!Array.isArray(templates)) throw new HttpError(400, { error: 'templates must be an array' });
		number.templates = clone(templates);
		return clone(number.templates);
	}

	// ---------------------------------------------------------------- sender

	private async deliverWithRetries(
		record: DeliveryTarget,
		url: string,
		body: Buffer,
		headers: Headers,
		opts: DeliveryOptions,
	): Promise<DeliveryOutcome> {
		const retries = opts.retries ?? this.deliveryDefaults.retries;
		const retryDelayMs = opts.retryDelayMs ?? this.deliveryDefaults.retryDelayMs;
		const timeoutMs = opts.timeoutMs ?? this.deliveryDefaults.timeoutMs;
		const attempts: DeliveryAttempt[] = [];
		for (let attempt = 1; attempt <= retries + 1; attempt++) {
			const result = await postOnce(url, body, headers, timeoutMs);
			const entry: DeliveryAttempt = {
				seq: ++this.seq,
				...record,
				url,
				attempt,
				requestHeaders: { ...headers },
				requestBody: body.toString('utf8'),
				status: result.status,
				error: result.error,
				responseBody: result.responseBody,
				durationMs: result.durationMs,
				at: new Date().toISOString(),
			};
			this.deliveryLog.push(entry);
			attempts.push(clone(entry));
			if (result.status === 200) return { ok: true, attempts };
			if (result.error && result.error.startsWith('refused')) break;
			if (attempt <= retries) await sleep(retryDelayMs);
		}
		return { ok: false, attempts };
	}

	/**
	 * Deliver a messaging webhook like 360dialog: to the number's main URL (with its headers), then,
	 * only if the main URL answered 200, to each multi-webhook destination. payload: an object (sent
	 * as JSON), or a string/Buffer sent byte for byte.
	 */
	async deliverMessaging(apiKey: string, payload: unknown, opts: DeliveryOptions = {}): Promise<MessagingDeliveryResult> {
		const number = this.numbers.get(apiKey);
		if (!number) throw new HttpError(404, { error: `no number with apiKey ${apiKey}` });
		const body = toBuffer(payload);
		const base = { 'content-type': 'application/json', 'user-agent': '360dialog-simulator' };
		if (!number.webhook.url) {
			return { ok: false, main: { ok: false, attempts: [], skipped: 'no webhook URL registered' }, destinations: [] };
		}
		const main = await this.deliverWithRetries(
			{ kind: 'messaging', target: 'main', apiKey },
			number.webhook.url,
			body,
			{ ...base, ...number.webhook.headers },
			opts,
		);
		const result: MessagingDeliveryResult = { ok: main.ok, main, destinations: [] };
		if (main.ok && number.multiWebhook.enabled) {
			for (const destination of number.multiWebhook.destinations) {
				const outcome = await this.deliverWithRetries(
					{ kind: 'messaging', target: `destination:${destination.name}`, apiKey },
					destination.url,
					body,
					{ ...base, ...(destination.headers || {}) },
					opts,
				);
				result.destinations.push({ name: destination.name, ...outcome });
				result.ok = result.ok && outcome.ok;
			}
		}
		return result;
	}

	/**
	 * Deliver a Partner Hub event: POST to the partner webhook URL with x-360dialog-signature =
	 * lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the platform secret.
	 * opts.signature: 'valid' (default) | 'wrong' | 'missing' | any other string (sent as is).
	 */
	async deliverPartner(partnerId: string, payload: unknown, opts: PartnerDeliveryOptions = {}): Promise<DeliveryOutcome> {
		const partner = this.partners.get(partnerId);
		if (!partner) throw new HttpError(404, { error: `no partner ${partnerId}` });
		const body = toBuffer(payload);
		const headers: Headers = {
			'content-type': 'application/json',
			'user-agent': '360dialog-simulator',
			...partner.webhookHeaders,
		};
		const mode = opts.signature === undefined ? 'valid' : opts.signature;
		if (mode === 'valid') headers[SIGNATURE_HEADER] = hmacHex(partner.platformSecret, body);
		else if (mode === 'wrong')
			headers[SIGNATURE_HEADER] = hmacHex(partner.platformSecret + '-wrong', body);
		else if (mode !== 'missing') headers[SIGNATURE_HEADER] = String(mode);
		if (!partner.webhookUrl)
			return { ok: false, attempts: [], skipped: 'no partner webhook URL registered' };
		return await this.deliverWithRetries(
			{ kind: 'partner', target: 'partner', partnerId },
			partner.webhookUrl,
			body,
			headers,
			opts,
		);
	}

	// ---------------------------------------------------------------- HTTP

	private send(res: http.ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
		if (Buffer.isBuffer(body)) {
			res.writeHead(status, { 'content-length': String(body.length), ...headers });
			res.end(body);
			return;
		}
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(text)),
			...headers,
		});
		res.end(text);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const raw = await readBody(req);
		const method = req.method || 'GET';
		try {
			if (path.startsWith('/__capture/'))
				return this.capture(req, res, decodeURIComponent(path.slice('/__capture/'.length)), raw);
			if (path.startsWith('/__sim')) return await this.control(res, method, path, url, raw);
			this.requestLog.push({
				seq: ++this.seq,
				method,
				path,
				query: url.search,
				headers: headersObject(req.headers),
				body: raw.toString('utf8'),
				at: new Date().toISOString(),
			});
			const partnerMatch = /^(?:\/api\/v2)?\/partners\/([^/]+)\/webhook_url$/.exec(path);
			if (partnerMatch)
				return this.partnerWebhookUrl(req, res, method, decodeURIComponent(partnerMatch[1]), raw);
			return this.messaging(req, res, method, path, url, raw);
		} catch (error) {
			if (error instanceof HttpError) return this.send(res, error.status, error.body);
			throw error;
		}
	}

	private capture(req: http.IncomingMessage, res: http.ServerResponse, tag: string, raw: Buffer): void {
		if (req.method !== 'POST' && req.method !== 'PUT')
			throw new HttpError(405, { error: 'POST a body to capture it' });
		let body: unknown;
		let json = true;
		const text = raw.toString('utf8');
		try {
			body = text === '' ? null : JSON.parse(text);
		} catch {
			body = text;
			json = false;
		}
		const capture: Capture = {
			body,
			headers: headersObject(req.headers),
			receivedAt: new Date().toISOString(),
		};
		// Not JSON (e.g. a file an HTTP Request node sends as binary): keep the exact bytes too.
		if (!json) capture.base64 = raw.toString('base64');
		const list = this.captureLists.get(tag) ?? [];
		this.captureLists.set(tag, list);
		list.push(capture);
		this.send(res, 200, { ok: true });
	}

	private messagingAuth(req: http.IncomingMessage, style: 'meta' | 'graph' | 'multi'): NumberState {
		const key = req.headers['d360-api-key'];
		const number = typeof key === 'string' ? this.numbers.get(key) : undefined;
		if (number) return number;
		if (style === 'multi')
			throw new HttpError(401, { error: 'Unauthorized - Invalid or missing D360-API-KEY' });
		if (style === 'graph') throw new HttpError(401, graphError('Invalid API key', 190));
		throw new HttpError(401, metaError(401, 'Invalid api key'));
	}

	private messaging(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		method: string,
		path: string,
		url: URL,
		raw: Buffer,
	): void {
		if (path === '/v1/configs/webhook') {
			const number = this.messagingAuth(req, 'meta');
			if (method === 'GET') {
				return this.send(res, 200, {
					url: number.webhook.url,
					headers: { ...number.webhook.headers },
				});
			}
			if (method === 'POST') {
				const body = asObject(parseJson(raw));
				if (!body || typeof body.url !== 'string') {
					throw new HttpError(400, metaError(400, 'url (string) is required'));
				}
				const headers = validateHeaders(body.headers, 'webhook');
				number.webhook = { url: body.url, headers };
				const out: JsonObject = { url: body.url };
				if (body.headers !== undefined) out.headers = headers;
				return this.send(res, 200, out);
			}
			throw new HttpError(405, metaError(405, `method ${method} not allowed`));
		}

		if (path === '/multi_webhook') return this.multiWebhook(req, res, method, url, raw);

		if (path.startsWith('/v1/media/')) {
			const number = this.messagingAuth(req, 'meta');
			if (method === 'DELETE')
				return this.deleteMedia(res, number, decodeURIComponent(path.slice('/v1/media/'.length)), 'onpremise', path);
			if (method !== 'GET')
				throw new HttpError(405, metaError(405, `method ${method} not allowed`));
			const id = decodeURIComponent(path.slice('/v1/media/'.length));
			const media = this.mediaOf(number.apiKey).get(id);
			if (!media) throw new HttpError(404, metaError(404, 'Media not found'));
			return this.send(res, 200, media.data, { 'content-type': media.mimeType });
		}

		if (path === '/whatsapp_business/attachments') {
			const number = this.messagingAuth(req, 'graph');
			if (method !== 'GET') throw new HttpError(405, graphError(`Unsupported ${method} request`));
			const id = url.searchParams.get('mid') || '';
			const media = this.mediaOf(number.apiKey).get(id);
			if (!media || url.searchParams.get('hash') !== media.hash) {
				throw new HttpError(
					404,
					graphError('(#100) Invalid parameter: unknown media or wrong hash'),
				);
			}
			return this.send(res, 200, media.data, { 'content-type': media.mimeType });
		}

		if (path === '/messages' || path === '/v1/messages' || path.startsWith('/v1/messages/'))
			return this.messages(req, res, method, path, raw);
		if ((path === '/media' || path === '/v1/media') && method === 'POST')
			return this.upload(req, res, path, raw);
		if (path === '/v1/configs/templates') {
			const number = this.messagingAuth(req, 'meta');
			if (method !== 'GET') throw new HttpError(405, metaError(405, `method ${method} not allowed`));
			const templates = clone(number.templates);
			return this.send(res, 200, {
				count: templates.length,
				filters: {},
				limit: Number(url.searchParams.get('limit') || 1000),
				offset: 0,
				sort: ['id'],
				total: templates.length,
				waba_templates: templates,
			});
		}

		const single = /^\/([^/]+)$/.exec(path);
		if (single && method === 'DELETE') {
			const number = this.messagingAuth(req, 'graph');
			const id = decodeURIComponent(single[1]);
			return this.deleteMedia(res, number, id, 'cloud', path);
		}
		if (single && method === 'GET') {
			const number = this.messagingAuth(req, 'graph');
			const id = decodeURIComponent(single[1]);
			const media = this.mediaOf(number.apiKey).get(id);
			if (!media) {
				throw new HttpError(
					404,
					graphError(
						`Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
					),
				);
			}
			const info = this.mediaInfo(media);
			return this.send(res, 200, {
				messaging_product: 'whatsapp',
				url: info.url,
				mime_type: info.mime_type,
				sha256: info.sha256,
				file_size: info.file_size,
				id: info.id,
			});
		}

		throw new HttpError(404, { error: `the simulator does not serve ${method} ${path}` });
	}

	private record(
		number: NumberState,
		kind: SentRecord['kind'],
		method: string,
		path: string,
		req: http.IncomingMessage,
		body: JsonObject,
		status: number,
		response: unknown,
	): SentRecord {
		const entry: SentRecord = {
			seq: ++this.seq,
			apiKey: number.apiKey,
			kind,
			method,
			path,
			headers: headersObject(req.headers),
			body,
			status,
			response,
			at: new Date().toISOString(),
		};
		this.sentLog.push(entry);
		return entry;
	}

	/** Cloud POST /messages; On-Premise POST /v1/messages and PUT /v1/messages/{id} (mark as read). */
	private messages(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, raw: Buffer): void {
		const number = this.messagingAuth(req, 'meta');
		const cloudPath = path === '/messages';
		if (cloudPath !== (number.kind === 'cloud')) {
			throw new HttpError(
				404,
				metaError(404, `${path} is not served for ${number.kind === 'cloud' ? 'Cloud API' : 'On-Premise'} numbers`),
			);
		}
		const readId = path.startsWith('/v1/messages/') ? decodeURIComponent(path.slice('/v1/messages/'.length)) : null;
		if ((readId === null && method !== 'POST') || (readId !== null && method !== 'PUT'))
			throw new HttpError(405, metaError(405, `method ${method} not allowed`));
		const parsed = parseJson(raw);
		const body = asObject(parsed);
		const answer = (status: number, response: unknown) => {
			this.record(number, readId !== null || (body && body.status === 'read') ? 'read' : 'message', method, path, req, (parsed ?? null) as JsonObject, status, response);
			return this.send(res, status, response);
		};
		const queued = this.failures.get(number.apiKey);
		const failure = queued?.shift();
		if (failure) return answer(failure.status, failure.body);
		const invalid = (message: string, code = 100) =>
			answer(400, cloudPath ? graphError(message, code) : { errors: [{ code: 1008, title: message }], meta: { api_status: 'stable' } });
		if (!body) return invalid('body must be a JSON object');
		if (readId !== null) return body.status === 'read' ? answer(200, {}) : invalid('status must be read');
		if (cloudPath && body.messaging_product !== 'whatsapp')
			return invalid('(#100) The parameter messaging_product is required.');
		if (body.status === 'read') {
			if (!cloudPath) return invalid('use PUT /v1/messages/{id} to mark a message as read');
			if (typeof body.message_id !== 'string') return invalid('(#100) The parameter message_id is required.');
			return answer(200, { success: true });
		}
		const recipient = body.to ?? (cloudPath ? body.recipient : undefined);
		if (typeof recipient !== 'string' || recipient === '')
			return invalid('(#100) The parameter to is required.');
		if (typeof body.type !== 'string' || body[body.type] === undefined)
			return invalid(`(#100) The parameter ${String(body.type ?? 'type')} is required.`);
		const suffix = crypto.randomBytes(9).toString('hex').toUpperCase();
		if (!cloudPath) return answer(200, { messages: [{ id: `gBGGSIM${suffix}` }], meta: { api_status: 'stable', version: '2.53.2' } });
		const contact = body.to !== undefined ? { input: recipient, wa_id: recipient } : { input: recipient, user_id: recipient };
		return answer(200, {
			messaging_product: 'whatsapp',
			contacts: [contact],
			messages: [{ id: `wamid.SIM${suffix}`, message_status: 'accepted' }],
		});
	}

	/** Cloud POST /media (multipart: messaging_product, type, file); On-Premise POST /v1/media (raw bytes). */
	private upload(req: http.IncomingMessage, res: http.ServerResponse, path: string, raw: Buffer): void {
		const number = this.messagingAuth(req, path === '/media' ? 'graph' : 'meta');
		const contentType = String(req.headers['content-type'] || '');
		let file: MultipartPart | undefined;
		let fields: Record<string, string> = {};
		if (path === '/media') {
			if (number.kind !== 'cloud') throw new HttpError(404, metaError(404, '/media is for Cloud API numbers'));
			const boundary = /boundary=("?)([^";]+)\1/.exec(contentType);
			if (!contentType.startsWith('multipart/form-data') || !boundary)
				throw new HttpError(400, graphError('(#100) The request must be multipart/form-data'));
			const parts = parseMultipart(raw, boundary[2]);
			fields = Object.fromEntries(parts.filter((part) => part.filename === null).map((part) => [part.name, part.data.toString('utf8')]));
			file = parts.find((part) => part.name === 'file' && part.filename !== null);
			if (fields.messaging_product !== 'whatsapp')
				throw new HttpError(400, graphError('(#100) The parameter messaging_product is required.'));
			if (!file) throw new HttpError(400, graphError('(#100) The parameter file is required.'));
		} else {
			if (number.kind !== 'onpremise') throw new HttpError(404, metaError(404, '/v1/media is for On-Premise numbers'));
			if (raw.length === 0) throw new HttpError(400, metaError(400, 'empty upload'));
			file = { name: 'file', filename: null, contentType, data: raw };
		}
		const mimeType = (fields.type || file.contentType || 'application/octet-stream').split(';')[0].trim();
		const info = this.addMedia(number.apiKey, { mimeType, data: file.data });
		const response = path === '/media' ? { id: info.id } : { media: [{ id: info.id }] };
		this.record(number, 'upload', 'POST', path, req, { fields, fileName: file.filename, mimeType, size: file.data.length, sha256: info.sha256 }, 200, response);
		return this.send(res, 200, response);
	}

	private deleteMedia(res: http.ServerResponse, number: NumberState, id: string, kind: 'cloud' | 'onpremise', path: string): void {
		const map = this.mediaOf(number.apiKey);
		if (!map.has(id)) {
			throw new HttpError(
				404,
				kind === 'cloud' ? graphError(`(#100) Media ${id} does not exist`) : metaError(404, 'Media not found'),
			);
		}
		map.delete(id);
		const response = kind === 'cloud' ? { success: true } : { meta: { api_status: 'stable' } };
		this.sentLog.push({ seq: ++this.seq, apiKey: number.apiKey, kind: 'delete', method: 'DELETE', path, headers: {}, body: { id }, status: 200, response, at: new Date().toISOString() });
		return this.send(res, 200, response);
	}

	private multiWebhook(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, raw: Buffer): void {
		const number = this.messagingAuth(req, 'multi');
		if (number.kind !== 'cloud')
			throw new HttpError(404, {
				error: 'Multiple webhooks are only available for Cloud API numbers',
			});
		const state = number.multiWebhook;
		const ok = () => this.send(res, 200, { message: 'Operation started successfully' });
		const checkDestinations = (list: unknown): Destination[] => {
			if (!Array.isArray(list))
				throw new HttpError(400, { error: 'destinations must be an array' });
			return list.map((item) => {
				const d = asObject(item);
				if (
					!d ||
					typeof d.name !== 'string' ||
					d.name === '' ||
					typeof d.url !== 'string' ||
					d.url === ''
				) {
					throw new HttpError(400, { error: 'each destination needs name and url' });
				}
				return {
					name: d.name,
					url: d.url,
					headers: validateHeaders(d.headers, `destination ${d.name}`),
				};
			});
		};
		const checkUnique = (list: Destination[]) => {
			const names = new Set<string>();
			for (const d of list) {
				if (names.has(d.name))
					throw new HttpError(409, { error: `Destination name '${d.name}' already exists` });
				names.add(d.name);
			}
			if (list.length > MAX_MULTI_WEBHOOK_DESTINATIONS) {
				throw new HttpError(409, {
					error: `Maximum of ${MAX_MULTI_WEBHOOK_DESTINATIONS} webhook destinations per phone number reached`,
				});
			}
		};

		if (method === 'GET')
			return this.send(res, 200, {
				enabled: state.enabled,
				destinations: clone(state.destinations),
			});

		if (method === 'POST') {
			const body = asObject(parseJson(raw));
			if (!body || typeof body.enabled !== 'boolean')
				throw new HttpError(400, { error: 'enabled (boolean) is required' });
			if (!body.enabled) {
				number.multiWebhook = { enabled: false, destinations: [] };
				return ok();
			}
			const list = checkDestinations(body.destinations || []);
			checkUnique(list);
			number.multiWebhook = { enabled: true, destinations: list };
			return ok();
		}

		if (method === 'PUT') {
			const body = asObject(parseJson(raw));
			if (!state.enabled)
				throw new HttpError(409, {
					error: 'Multiple webhooks are not enabled; use POST to enable them',
				});
			const list = checkDestinations(body && body.destinations);
			const merged = [...state.destinations, ...list];
			checkUnique(merged);
			state.destinations = merged;
			return ok();
		}

		if (method === 'PATCH') {
			const body = asObject(parseJson(raw));
			const updates: unknown[] = body && Array.isArray(body.destinations) ? body.destinations : [body];
			for (const item of updates) {
				const update = asObject(item);
				if (!update || typeof update.name !== 'string')
					throw new HttpError(400, { error: 'name is required' });
				const target = state.destinations.find((d) => d.name === update.name);
				if (!target) throw new HttpError(404, { error: `Destination '${update.name}' not found` });
				if (update.url !== undefined) {
					if (typeof update.url !== 'string' || update.url === '')
						throw new HttpError(400, { error: 'url must be a non-empty string' });
					target.url = update.url;
				}
				if (update.headers !== undefined)
					target.headers = validateHeaders(update.headers, `destination ${update.name}`);
			}
			return ok();
		}

		if (method === 'DELETE') {
			// Simulator-only: 360dialog documents no DELETE; there you re-POST the remaining destinations.
			const body = asObject(parseJson(raw, { required: false }));
			const name = url.searchParams.get('name') || (body && body.name);
			if (typeof name !== 'string' || name === '')
				throw new HttpError(400, { error: 'name is required (query or body)' });
			const before = state.destinations.length;
			state.destinations = state.destinations.filter((d) => d.name !== name);
			if (state.destinations.length === before)
				throw new HttpError(404, { error: `Destination '${name}' not found` });
			return ok();
		}

		throw new HttpError(405, { error: `method ${method} not allowed` });
	}

	private partnerWebhookUrl(req: http.IncomingMessage, res: http.ServerResponse, method: string, partnerId: string, raw: Buffer): void {
		const partner = this.partners.get(partnerId);
		const key = req.headers['x-api-key'];
		if (!partner || typeof key !== 'string' || key !== partner.apiKey) {
			// Whether 360dialog answers 401 or 403/404 for a key of another partner is unknown; 401 for all here.
			throw new HttpError(401, metaError(401, 'Invalid API key'));
		}
		if (method === 'GET') return this.send(res, 200, { webhook_url: partner.webhookUrl });
		if (method === 'POST') {
			const body = asObject(parseJson(raw));
			if (!body || typeof body.webhook_url !== 'string')
				throw new HttpError(422, metaError(422, 'webhook_url (string) is required'));
			partner.webhookUrl = body.webhook_url;
			return this.send(res, 200, {
				id: partner.partnerId,
				brand_name: partner.brandName,
				logo_url: null,
				webhook_url: partner.webhookUrl,
				payment_plan: 'basic',
				payment_required: false,
				onboarding_deeplink_add_params: null,
			});
		}
		throw new HttpError(405, metaError(405, `method ${method} not allowed`));
	}

	private async control(res: http.ServerResponse, method: string, path: string, url: URL, raw: Buffer): Promise<void> {
		const parts = path.split('/').slice(2).map(decodeURIComponent); // ['', '__sim', ...]
		const [section, id] = parts;
		const query = Object.fromEntries(url.searchParams);
		const deliveryOpts = () => {
			const opts: PartnerDeliveryOptions = {};
			for (const key of ['retries', 'retryDelayMs', 'timeoutMs'] as const) {
				if (query[key] !== undefined) opts[key] = Number(query[key]);
			}
			return opts;
		};
		// The control API takes what a caller sends; the methods check it as they would the module API's.
		const body = <T>() => parseJson(raw) as T;

		if (method === 'GET' && section === 'health') return this.send(res, 200, { ok: true });
		if (method === 'GET' && section === 'state') return this.send(res, 200, this.state());
		if (method === 'POST' && section === 'reset') {
			this.reset();
			return this.send(res, 200, { ok: true });
		}
		if (method === 'POST' && section === 'config')
			return this.send(res, 200, this.configure(body<DeliveryOptions>()));
		if (method === 'POST' && section === 'numbers' && !id)
			return this.send(res, 200, this.addNumber(body<NumberOptions>()));
		if (method === 'GET' && section === 'numbers' && id) {
			const number = this.number(id);
			if (!number) throw new HttpError(404, { error: `no number with apiKey ${id}` });
			return this.send(res, 200, number);
		}
		if (method === 'POST' && section === 'partners' && !id)
			return this.send(res, 200, this.addPartner(body<PartnerOptions>()));
		if (method === 'GET' && section === 'partners' && id) {
			const partner = this.partner(id);
			if (!partner) throw new HttpError(404, { error: `no partner ${id}` });
			return this.send(res, 200, partner);
		}
		if (method === 'POST' && section === 'media') {
			const media = body<(MediaOptions & { apiKey?: string }) | null>();
			return this.send(res, 200, this.addMedia(String(media?.apiKey), media as MediaOptions));
		}
		if (section === 'captures' && id !== undefined) {
			if (method === 'GET') return this.send(res, 200, this.captures(id));
			if (method === 'DELETE') {
				this.clearCaptures(id);
				return this.send(res, 200, { ok: true });
			}
		}
		if (method === 'DELETE' && section === 'captures') {
			this.clearCaptures();
			return this.send(res, 200, { ok: true });
		}
		if (method === 'GET' && section === 'sent') return this.send(res, 200, this.sent(query as SentFilter));
		if (method === 'POST' && section === 'fail' && id) return this.send(res, 200, this.failNext(id, body<Failure>()));
		if (method === 'PUT' && section === 'templates' && id)
			return this.send(res, 200, this.setTemplates(id, body<Array<Record<string, unknown>>>()));
		if (method === 'GET' && section === 'deliveries')
			return this.send(res, 200, this.deliveries(query as DeliveryFilter));
		if (method === 'GET' && section === 'requests')
			return this.send(res, 200, this.requests(query));
		if (method === 'POST' && section === 'deliver' && parts.length === 3) {
			const target = parts[2];
			if (id === 'messaging')
				return this.send(res, 200, await this.deliverMessaging(target, raw, deliveryOpts()));
			if (id === 'partner') {
				const opts = deliveryOpts();
				if (query.signature !== undefined) opts.signature = query.signature;
				return this.send(res, 200, await this.deliverPartner(target, raw, opts));
			}
		}
		throw new HttpError(404, { error: `unknown control call ${method} ${path}` });
	}
}

/** Start a simulator on 127.0.0.1 (port 0 = any free port). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const sim = new Simulator(options);
	await sim.start(options.port ?? 0, options.host ?? '127.0.0.1');
	return sim;
}

// ---------------------------------------------------------------- HTTP client (for other processes)

async function callJson<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(baseUrl + path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body:
			body === undefined
				? undefined
				: typeof body === 'string'
					? body
					: Buffer.isBuffer(body)
						? new Uint8Array(body)
						: JSON.stringify(body),
	});
	const text = await response.text();
	const data = (text === '' ? null : JSON.parse(text)) as T;
	if (!response.ok) throw new Error(`simulator ${method} ${path} -> ${response.status} ${text}`);
	return data;
}

function queryString(opts?: object): string {
	const entries = Object.entries(opts || {}).filter(([, v]) => v !== undefined);
	return entries.length
		? '?' + new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()
		: '';
}

/**
 * The same API as a Simulator instance, over the control API of a simulator that runs elsewhere
 * (e.g. the one the e2e runner started). Every method returns a Promise.
 */
export function connectSimulator(baseUrl: string): SimulatorClient {
	const base = baseUrl.replace(/\/+$/, '');
	const enc = encodeURIComponent;
	const client: SimulatorClient = {
		url: base,
		state: async () => await callJson(base, 'GET', '/__sim/state'),
		reset: async () => await callJson(base, 'POST', '/__sim/reset'),
		configure: async (delivery) => await callJson(base, 'POST', '/__sim/config', delivery),
		addNumber: async (options) => await callJson(base, 'POST', '/__sim/numbers', options),
		addPartner: async (options) => await callJson(base, 'POST', '/__sim/partners', options),
		addMedia: async (apiKey, options) => {
			const body: MediaOptions & { apiKey: string } = { ...options, apiKey };
			if (Buffer.isBuffer(options.data)) {
				body.base64 = options.data.toString('base64');
				delete body.data;
			}
			return await callJson(base, 'POST', '/__sim/media', body);
		},
		number: async (apiKey) => await callJson(base, 'GET', `/__sim/numbers/${enc(apiKey)}`),
		partner: async (partnerId) => await callJson(base, 'GET', `/__sim/partners/${enc(partnerId)}`),
		captures: async (tag) => await callJson(base, 'GET', `/__sim/captures/${enc(tag)}`),
		clearCaptures: async (tag) =>
			await callJson(
				base,
				'DELETE',
				tag === undefined ? '/__sim/captures' : `/__sim/captures/${enc(tag)}`,
			),
		sent: async (filter) => await callJson(base, 'GET', '/__sim/sent' + queryString(filter)),
		failNext: async (apiKey, failure) => await callJson(base, 'POST', `/__sim/fail/${enc(apiKey)}`, failure),
		setTemplates: async (apiKey, templates) => await callJson(base, 'PUT', `/__sim/templates/${enc(apiKey)}`, templates),
		deliveries: async (filter) => await callJson(base, 'GET', '/__sim/deliveries' + queryString(filter)),
		requests: async (filter) => await callJson(base, 'GET', '/__sim/requests' + queryString(filter)),
		deliverMessaging: async (apiKey, payload, opts = {}) =>
			await callJson(
				base,
				'POST',
				`/__sim/deliver/messaging/${enc(apiKey)}` + queryString(opts),
				toBuffer(payload),
			),
		deliverPartner: async (partnerId, payload, opts = {}) =>
			await callJson(
				base,
				'POST',
				`/__sim/deliver/partner/${enc(partnerId)}` + queryString(opts),
				toBuffer(payload),
			),
		async waitForCaptures(tag, { count = 1, timeoutMs = 15000, intervalMs = 100 } = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const items = await client.captures(tag);
				if (items.length >= count) return items;
				if (Date.now() >= deadline) {
					throw new Error(
						`timed out after ${timeoutMs} ms waiting for ${count} capture(s) on '${tag}' (have ${items.length})`,
					);
				}
				await sleep(intervalMs);
			}
		},
	};
	return client;
}

// ---------------------------------------------------------------- standalone

export const SEED: { numbers: NumberOptions[]; partners: PartnerOptions[] } = {
	numbers: [
		{
			apiKey: 'sim-cloud-key',
			kind: 'cloud',
			phoneNumberId: '106540352242922',
			displayPhoneNumber: '15550783881',
			wabaId: '102290129340398',
		},
		{
			apiKey: 'sim-onprem-key',
			kind: 'onpremise',
			phoneNumberId: '106540352242923',
			displayPhoneNumber: '15550783882',
			wabaId: '102290129340399',
		},
	],
	partners: [
		{
			partnerId: 'simPA',
			apiKey: 'sim-partner-key',
			platformSecret: 'sim-platform-secret',
			brandName: 'Simulated Partner',
		},
	],
};

interface Args {
	port: number;
	host: string;
	seed: boolean;
	retries?: number;
	retryDelayMs?: number;
	help?: boolean;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { port: 5800, host: '127.0.0.1', seed: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const next = () => {
			if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
			return argv[++i];
		};
		if (arg === '--port') args.port = Number(next());
		else if (arg === '--host') args.host = next();
		else if (arg === '--seed') args.seed = true;
		else if (arg === '--retries') args.retries = Number(next());
		else if (arg === '--retry-delay-ms') args.retryDelayMs = Number(next());
		else if (arg === '--help' || arg === '-h') args.help = true;
		else throw new Error(`unknown argument ${arg}`);
	}
	return args;
}

async function main(argv: string[]): Promise<void> {
	const args = parseArgs(argv);
	if (args.help) {
		console.log(
			'usage: npm run simulator -- [--port 5800] [--host 127.0.0.1] [--seed] [--retries 3] [--retry-delay-ms 200]\n' +
				'  --seed registers numbers sim-cloud-key (Cloud) and sim-onprem-key (On-Premise) and partner simPA\n' +
				'         (X-API-Key sim-partner-key, platform secret sim-platform-secret).',
		);
		return;
	}
	const delivery: DeliveryOptions = {};
	if (args.retries !== undefined) delivery.retries = args.retries;
	if (args.retryDelayMs !== undefined) delivery.retryDelayMs = args.retryDelayMs;
	const sim = await startSimulator({
		port: args.port,
		host: args.host,
		delivery,
		...(args.seed ? SEED : {}),
	});
	console.log(
		`360dialog simulator listening on http://${args.host}:${sim.port}  (control API: /__sim/state)`,
	);
	const stop = () => {
		void sim.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
