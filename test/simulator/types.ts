/** The simulator's data: what it is given, what it keeps and records, what its APIs answer. */

export type Headers = Record<string, string>;

export interface WebhookConfig {
	url: string | null;
	headers: Headers;
}

export interface Destination {
	name: string;
	url: string;
	headers?: Headers;
}

export interface NumberOptions {
	/** The D360-API-KEY of this phone number. */
	apiKey: string;
	/** 'cloud' (default) or 'onpremise' (no /multi_webhook; media at /v1/media/{id}). */
	kind?: 'cloud' | 'onpremise';
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	wabaId?: string;
	/** The webhook before any node touched it; default DEFAULT_PREVIOUS_WEBHOOK_URL. null = none. */
	webhook?: { url: string | null; headers?: Headers } | null;
	multiWebhook?: { enabled: boolean; destinations?: Destination[] };
	/** The number's message templates, as GET /v1/configs/templates lists them (`waba_templates`). */
	templates?: Array<Record<string, unknown>>;
}

export interface NumberState {
	apiKey: string;
	kind: 'cloud' | 'onpremise';
	phoneNumberId: string;
	displayPhoneNumber: string;
	wabaId: string;
	webhook: WebhookConfig;
	multiWebhook: { enabled: boolean; destinations: Destination[] };
	templates: Array<Record<string, unknown>>;
}

/** A call the Messaging API received on /messages, /v1/messages, /media, /v1/media or a media delete. */
export interface SentRecord {
	seq: number;
	apiKey: string;
	/** 'message' (a send), 'read' (mark as read), 'upload' or 'delete'. */
	kind: 'message' | 'read' | 'upload' | 'delete';
	method: string;
	path: string;
	headers: Headers;
	/** The parsed JSON body; for uploads {fields, fileName, mimeType, size, sha256}; for deletes {id}. */
	body: Record<string, unknown>;
	status: number;
	response: unknown;
	at: string;
}

export interface SentFilter {
	apiKey?: string;
	kind?: SentRecord['kind'];
}

export interface Failure {
	status: number;
	body?: unknown;
}

export interface PartnerOptions {
	partnerId: string;
	/** The X-API-Key the Partner API accepts for this partner. */
	apiKey: string;
	/** Keys the HMAC in x-360dialog-signature. */
	platformSecret: string;
	brandName?: string;
	/** Default DEFAULT_PREVIOUS_PARTNER_WEBHOOK_URL. null = none. */
	webhookUrl?: string | null;
	/** Sent with every partner delivery (360dialog lets partners set these in the Hub UI only). */
	webhookHeaders?: Headers;
}

export interface PartnerState {
	partnerId: string;
	apiKey: string;
	platformSecret: string;
	brandName: string;
	webhookUrl: string | null;
	webhookHeaders: Headers;
}

export interface MediaOptions {
	/** Default: a numeric id (Cloud) or a UUID (On-Premise). */
	id?: string;
	mimeType: string;
	/** Bytes (module API; the HTTP client sends them as base64), or a UTF-8 string. */
	data?: Buffer | string;
	base64?: string;
	text?: string;
}

export interface MediaInfo {
	id: string;
	mime_type: string;
	sha256: string;
	file_size: number;
	/** The lookaside URL Cloud's GET /{mediaId} returns; swap the origin for the simulator's. */
	url: string;
}

export interface DeliveryOptions {
	/** Extra attempts after a non-200 answer (default 3). */
	retries?: number;
	retryDelayMs?: number;
	timeoutMs?: number;
}

export interface PartnerDeliveryOptions extends DeliveryOptions {
	/** 'valid' (default), 'wrong' (HMAC with another key), 'missing' (no header), or a literal header value. */
	signature?: 'valid' | 'wrong' | 'missing' | (string & {});
}

export interface DeliveryAttempt {
	seq: number;
	kind: 'messaging' | 'partner';
	/** 'main', 'destination:<name>' or 'partner'. */
	target: string;
	apiKey?: string;
	partnerId?: string;
	url: string;
	attempt: number;
	requestHeaders: Headers;
	requestBody: string;
	/** null when no HTTP answer came (connection error, timeout, or a non-loopback URL refused). */
	status: number | null;
	error: string | null;
	responseBody: string | null;
	durationMs: number;
	at: string;
}

export interface DeliveryOutcome {
	ok: boolean;
	attempts: DeliveryAttempt[];
	skipped?: string;
}

export interface MessagingDeliveryResult {
	/** True when the main URL and every multi-webhook destination answered 200. */
	ok: boolean;
	main: DeliveryOutcome;
	destinations: Array<DeliveryOutcome & { name: string }>;
}

export interface Capture {
	/** Parsed JSON, or the raw text when the body was not JSON. */
	body: unknown;
	headers: Headers;
	receivedAt: string;
	/** The exact bytes received, base64-encoded; only for bodies that were not JSON. */
	base64?: string;
}

export interface RecordedRequest {
	seq: number;
	method: string;
	path: string;
	query: string;
	headers: Headers;
	body: string;
	at: string;
}

export interface SimulatorState {
	url: string;
	delivery: Required<DeliveryOptions>;
	numbers: NumberState[];
	partners: PartnerState[];
	media: Record<string, MediaInfo[]>;
	captureTags: string[];
}

export interface SimulatorOptions {
	port?: number;
	host?: string;
	numbers?: NumberOptions[];
	partners?: PartnerOptions[];
	delivery?: DeliveryOptions;
}

export interface WaitOptions {
	count?: number;
	timeoutMs?: number;
	intervalMs?: number;
}

export interface DeliveryFilter {
	apiKey?: string;
	partnerId?: string;
	kind?: 'messaging' | 'partner';
}

export interface RequestFilter {
	method?: string;
	path?: string;
}

/** The Simulator API over HTTP, for a simulator running in another process. */
export interface SimulatorClient {
	url: string;
	state(): Promise<SimulatorState>;
	reset(): Promise<{ ok: true }>;
	configure(delivery: DeliveryOptions): Promise<Required<DeliveryOptions>>;
	addNumber(options: NumberOptions): Promise<NumberState>;
	addPartner(options: PartnerOptions): Promise<PartnerState>;
	addMedia(apiKey: string, options: MediaOptions): Promise<MediaInfo>;
	number(apiKey: string): Promise<NumberState>;
	partner(partnerId: string): Promise<PartnerState>;
	captures(tag: string): Promise<Capture[]>;
	clearCaptures(tag?: string): Promise<{ ok: true }>;
	waitForCaptures(tag: string, options?: WaitOptions): Promise<Capture[]>;
	deliveries(filter?: DeliveryFilter): Promise<DeliveryAttempt[]>;
	requests(filter?: RequestFilter): Promise<RecordedRequest[]>;
	sent(filter?: SentFilter): Promise<SentRecord[]>;
	failNext(apiKey: string, failure: Failure): Promise<{ queued: number }>;
	setTemplates(
		apiKey: string,
		templates: Array<Record<string, unknown>>,
	): Promise<Array<Record<string, unknown>>>;
	deliverMessaging(
		apiKey: string,
		payload: unknown,
		options?: DeliveryOptions,
	): Promise<MessagingDeliveryResult>;
	deliverPartner(
		partnerId: string,
		payload: unknown,
		options?: PartnerDeliveryOptions,
	): Promise<DeliveryOutcome>;
}
