import { z } from 'zod';

import { SEVERITIES } from '../catalog';

/**
 * The uniform event model: one item per message, status, error, change or partner event, whatever
 * format it arrived in. Every key of a kind is always present (null when the payload lacks it), so
 * a workflow expression never has to ask which format or version arrived.
 */

const Str = z.string().nullable();
const Num = z.number().nullable();
const Bool = z.boolean().nullable();
const Json = z.record(z.unknown());

const base = {
	/** The filterable name, e.g. `message.text`, `status.failed`, `template.status`, `partner.channel_live`. */
	event: z.string(),
	/** `unknown` only for a body that matched no format (kept whole as an `unknown` item). */
	source: z.enum(['cloud', 'on_premise', 'partner', 'unknown']),
	/** Message id, status message id, partner event id, or a derived id for other changes. */
	id: Str,
	/** ISO 8601 UTC, null when the payload has no (valid) timestamp. */
	timestamp: Str,
	timestampUnix: Num,
	wabaId: Str,
	phoneNumberId: Str,
	displayPhoneNumber: Str,
	severity: z.enum(SEVERITIES),
	/** The source element (message, status, change value or partner event), only when asked for. */
	raw: z.unknown().optional(),
};

export const ErrorDetailSchema = z.object({
	code: Num,
	title: Str,
	message: Str,
	details: Str,
	href: Str,
});

export const MediaSchema = z.object({
	id: Str,
	mimeType: Str,
	sha256: Str,
	caption: Str,
	filename: Str,
	voice: Bool,
	animated: Bool,
	url: Str,
});

export const ReplySchema = z.object({
	kind: z.enum(['button', 'list', 'flow', 'quick_reply', 'other']),
	id: Str,
	title: Str,
	description: Str,
	payload: Str,
	/** `nfm_reply.response_json` parsed into an object (null when it is not a JSON object). */
	flowResponse: Json.nullable(),
});

export const ContextSchema = z.object({
	messageId: Str,
	from: Str,
	forwarded: z.boolean(),
	frequentlyForwarded: z.boolean(),
	referredProduct: z.object({ catalogId: Str, productRetailerId: Str }).nullable(),
});

export const LocationSchema = z.object({
	latitude: Num,
	longitude: Num,
	name: Str,
	address: Str,
	url: Str,
});

export const OrderSchema = z.object({
	catalogId: Str,
	text: Str,
	items: z.array(
		z.object({
			productRetailerId: Str,
			quantity: Num,
			itemPrice: Num,
			currency: Str,
		}),
	),
});

const messageFields = {
	messageId: Str,
	/** The customer's phone number. Null for users known only by business-scoped user id. */
	from: Str,
	/** Business-scoped user id (BSUID), e.g. `US.13491208655302741918`. */
	fromUserId: Str,
	contactName: Str,
	contactUsername: Str,
	/** The message type as received; On-Premise `voice` arrives as `audio` with `media.voice: true`. */
	type: z.string(),
	/** One readable text: body, caption, button text, reply title, order text or system body. */
	text: Str,
	media: MediaSchema.nullable(),
	location: LocationSchema.nullable(),
	contacts: z.array(Json).nullable(),
	reply: ReplySchema.nullable(),
	reaction: z.object({ messageId: Str, emoji: Str }).nullable(),
	order: OrderSchema.nullable(),
	context: ContextSchema.nullable(),
	referral: Json.nullable(),
	system: z
		.object({ type: Str, body: Str, newWaId: Str, newUserId: Str, previousUserId: Str })
		.nullable(),
	/** For `edit` and `revoke`: the id of the message that was edited or deleted. */
	originalMessageId: Str,
	errors: z.array(ErrorDetailSchema),
};

export const MessageEventSchema = z.object({ kind: z.literal('message'), ...base, ...messageFields });

/** A message the business sent from the WhatsApp Business app (coexistence echo). */
export const EchoEventSchema = z.object({ kind: z.literal('echo'), ...base, ...messageFields, to: Str });

export const StatusEventSchema = z.object({
	kind: z.literal('status'),
	...base,
	status: z.string(),
	messageId: Str,
	recipientId: Str,
	recipientUserId: Str,
	conversation: z.object({ id: Str, origin: Str, expiresAt: Str }).nullable(),
	pricing: z.object({ billable: Bool, model: Str, category: Str, type: Str }).nullable(),
	errors: z.array(ErrorDetailSchema),
});

export const ErrorEventSchema = z.object({
	kind: z.literal('error'),
	...base,
	...ErrorDetailSchema.shape,
	/** The change field the error came with (Cloud), or null. */
	field: Str,
});

const templateFields = {
	templateId: Str,
	templateName: Str,
	templateLanguage: Str,
	/** Status event value, e.g. APPROVED, REJECTED, PAUSED, DISABLED. */
	templateStatus: Str,
	reason: Str,
	category: Str,
	previousCategory: Str,
	previousQualityRating: Str,
	qualityRating: Str,
	qualityDropped: Bool,
	value: Json,
};

export const TemplateEventSchema = z.object({
	kind: z.enum(['template_status', 'template_quality', 'template_category', 'template_components']),
	...base,
	...templateFields,
});

export const AccountUpdateEventSchema = z.object({
	kind: z.literal('account_update'),
	...base,
	accountEvent: Str,
	phoneNumber: Str,
	violationType: Str,
	banState: Str,
	banDate: Str,
	restrictions: z.array(z.object({ type: Str, expiresAt: Str })),
	value: Json,
});

export const AccountReviewEventSchema = z.object({
	kind: z.literal('account_review'),
	...base,
	decision: Str,
	value: Json,
});

export const AccountAlertEventSchema = z.object({
	kind: z.literal('account_alert'),
	...base,
	alertType: Str,
	alertSeverity: Str,
	alertStatus: Str,
	alertDescription: Str,
	entityType: Str,
	entityId: Str,
	value: Json,
});

export const PhoneNumberQualityEventSchema = z.object({
	kind: z.literal('phone_number_quality'),
	...base,
	/** Meta's event value, e.g. FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE. */
	qualityEvent: Str,
	currentLimit: Str,
	previousLimit: Str,
	qualityRating: Str,
	qualityDropped: Bool,
	value: Json,
});

export const PhoneNumberNameEventSchema = z.object({
	kind: z.literal('phone_number_name'),
	...base,
	decision: Str,
	requestedName: Str,
	rejectionReason: Str,
	value: Json,
});

export const BusinessCapabilityEventSchema = z.object({
	kind: z.literal('business_capability'),
	...base,
	maxDailyConversations: Num,
	maxPhoneNumbersPerWaba: Num,
	value: Json,
});

export const SecurityEventSchema = z.object({
	kind: z.literal('security'),
	...base,
	securityEvent: Str,
	requester: Str,
	value: Json,
});

export const HistoryEventSchema = z.object({
	kind: z.literal('history'),
	...base,
	phase: Num,
	chunkOrder: Num,
	progress: Num,
	threadCount: z.number(),
	messageCount: z.number(),
	errors: z.array(ErrorDetailSchema),
	value: Json,
});

export const AppStateSyncEventSchema = z.object({
	kind: z.literal('app_state_sync'),
	...base,
	syncType: Str,
	action: Str,
	contactName: Str,
	contactPhoneNumber: Str,
	value: Json,
});

export const UserPreferenceEventSchema = z.object({
	kind: z.literal('user_preference'),
	...base,
	waId: Str,
	userId: Str,
	category: Str,
	/** `stop` or `resume`. */
	preference: Str,
	detail: Str,
	value: Json,
});

export const CallEventSchema = z.object({
	kind: z.literal('call'),
	...base,
	callId: Str,
	/** `connect`, `terminate`, ... for calls; the status (e.g. RINGING) for call statuses. */
	callEvent: Str,
	callStatus: Str,
	from: Str,
	to: Str,
	direction: Str,
	durationSeconds: Num,
	value: Json,
});

/** A known Cloud change field with no dedicated kind (partner_solutions, automatic_events, ...). */
export const ChangeEventSchema = z.object({
	kind: z.literal('change'),
	...base,
	field: z.string(),
	value: Json,
});

/** Anything unrecognised: a new change field, or a body that matches no known envelope. */
export const UnknownEventSchema = z.object({
	kind: z.literal('unknown'),
	...base,
	field: Str,
	value: z.unknown(),
	/** Why the body was not understood, for a body kept whole by a trigger; null for a new change field. */
	problem: Str,
});

export const PartnerEventSchema = z.object({
	kind: z.literal('partner'),
	...base,
	/** The event name exactly as received, e.g. `channel_live` or `DISABLED_UPDATE`. */
	partnerEvent: z.string(),
	eventId: Str,
	channelId: Str,
	clientId: Str,
	clientName: Str,
	phoneNumber: Str,
	phoneName: Str,
	status: Str,
	accountMode: Str,
	qualityRating: Str,
	previousQualityRating: Str,
	qualityEvent: Str,
	qualityDropped: Bool,
	messagingLimit: Str,
	template: z
		.object({
			id: Str,
			externalId: Str,
			name: Str,
			language: Str,
			status: Str,
			reason: Str,
			category: Str,
			qualityScore: Str,
		})
		.nullable(),
	violation: z.object({ type: Str, info: Str }).nullable(),
	/** Partner events have no template kind of their own; these mirror `template.status` for the severity table. */
	templateStatus: Str,
	data: Json,
});

export const NormalizedEventSchema = z.discriminatedUnion('kind', [
	MessageEventSchema,
	EchoEventSchema,
	StatusEventSchema,
	ErrorEventSchema,
	TemplateEventSchema,
	AccountUpdateEventSchema,
	AccountReviewEventSchema,
	AccountAlertEventSchema,
	PhoneNumberQualityEventSchema,
	PhoneNumberNameEventSchema,
	BusinessCapabilityEventSchema,
	SecurityEventSchema,
	HistoryEventSchema,
	AppStateSyncEventSchema,
	UserPreferenceEventSchema,
	CallEventSchema,
	ChangeEventSchema,
	UnknownEventSchema,
	PartnerEventSchema,
]);

export type NormalizedEvent = z.infer<typeof NormalizedEventSchema>;
export type NormalizedKind = NormalizedEvent['kind'];
export type MessageEvent = z.infer<typeof MessageEventSchema>;
export type EchoEvent = z.infer<typeof EchoEventSchema>;
export type StatusEvent = z.infer<typeof StatusEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type TemplateEvent = z.infer<typeof TemplateEventSchema>;
export type PartnerHubEvent = z.infer<typeof PartnerEventSchema>;
export type UnknownEvent = z.infer<typeof UnknownEventSchema>;
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type Source = NormalizedEvent['source'];
