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
	event: z
		.string()
		.describe(
			'The filterable name, e.g. `message.text`, `status.failed`, `template.status`, `partner.channel_live`.',
		),
	source: z
		.enum(['cloud', 'on_premise', 'partner', 'unknown'])
		.describe(
			'`unknown` only for a body that matched no format (kept whole as an `unknown` item).',
		),
	id: Str.describe(
		"The event's own id where it has one: message id (also for statuses), call id or partner event id; null for other changes.",
	),
	timestamp: Str.describe('ISO 8601 UTC, null when the payload has no (valid) timestamp.'),
	timestampUnix: Num.describe('The same instant in unix seconds.'),
	wabaId: Str.describe(
		"Meta's WhatsApp Business Account id: Cloud `entry.id`, Partner `waba_account.external_id` (else 360dialog's `waba_account.id`); null for On-Premise.",
	),
	phoneNumberId: Str.describe(
		'The business phone number id (Cloud `metadata.phone_number_id`); null for On-Premise.',
	),
	displayPhoneNumber: Str.describe('The business phone number as displayed.'),
	severity: z
		.enum(SEVERITIES)
		.describe('`info`, `warning` or `critical`, from the severity table.'),
	raw: z
		.unknown()
		.optional()
		.describe(
			'The source element (message, status, change value or partner event), only when asked for.',
		),
};

export const ErrorDetailSchema = z.object({
	code: Num.describe('Meta or On-Premise error code.'),
	title: Str.describe('Error title.'),
	message: Str.describe('Error message (the title when none is given).'),
	details: Str.describe('Error details.'),
	href: Str.describe('Link to the error code reference.'),
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
	id: Str.describe('The id of the button or list row (the flow name for a flow reply).'),
	title: Str.describe('The text on the button or list row the customer chose.'),
	description: Str.describe('The description of the chosen list row.'),
	payload: Str.describe('The payload of a quick-reply button of a template.'),
	flowResponse: Json.nullable().describe(
		'`nfm_reply.response_json` parsed into an object (null when it is not a JSON object).',
	),
});

export const ContextSchema = z.object({
	messageId: Str.describe('The WhatsApp message id (wamid. on Cloud).'),
	from: Str.describe(
		'Who sent the message replied to (the business number for a reply to one of yours).',
	),
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
	messageId: Str.describe('The WhatsApp message id (wamid. on Cloud).'),
	from: Str.describe(
		"The customer's phone number. Null for users known only by business-scoped user id.",
	),
	fromUserId: Str.describe('Business-scoped user id (BSUID), e.g. `US.13491208655302741918`.'),
	fromParentUserId: Str.describe(
		'The parent BSUID (contains `ENT`), when the business has parent BSUIDs enabled.',
	),
	contactName: Str.describe("The sender's WhatsApp profile name."),
	contactUsername: Str.describe("The sender's WhatsApp username, when they have one."),
	type: z
		.string()
		.describe(
			'The message type as received; On-Premise `voice` arrives as `audio` with `media.voice: true`.',
		),
	text: Str.describe(
		'One readable text: body, caption, button text, reply title, order text or system body.',
	),
	media: MediaSchema.nullable().describe(
		'Image, video, audio, document or sticker: id (for download), mimeType, sha256, caption, filename, voice, animated, url.',
	),
	location: LocationSchema.nullable().describe('latitude, longitude, name, address, url.'),
	contacts: z.array(Json).nullable().describe('Shared contact cards, as sent.'),
	reply: ReplySchema.nullable().describe(
		'Button, list, flow or quick-reply answer: kind, id, title, description, payload, flowResponse.',
	),
	reaction: z
		.object({ messageId: Str, emoji: Str })
		.nullable()
		.describe('messageId reacted to and emoji (null when the reaction was removed).'),
	order: OrderSchema.nullable().describe(
		'catalogId, text and items (productRetailerId, quantity, itemPrice, currency).',
	),
	context: ContextSchema.nullable().describe(
		'Reply and forward context: messageId, from, forwarded, frequentlyForwarded, referredProduct.',
	),
	referral: Json.nullable().describe('Click-to-WhatsApp ad referral, as sent.'),
	system: z
		.object({ type: Str, body: Str, newWaId: Str, newUserId: Str, previousUserId: Str })
		.nullable()
		.describe('System message: type, body, newWaId, newUserId, previousUserId.'),
	originalMessageId: Str.describe(
		'For `edit` and `revoke`: the id of the message that was edited or deleted.',
	),
	groupId: Str.describe('The group the message was written in; null outside groups.'),
	errors: z
		.array(ErrorDetailSchema)
		.describe('Error details: code, title, message, details, href. Always a list.'),
	windowExpiresAt: Str.describe(
		'When the 24-hour customer service window this message opened closes (ISO 8601 UTC, message time + 24 h): until then any message may be sent, afterwards only templates. Null for echoes, system messages and messages without a timestamp.',
	),
	conversationKey: Str.describe(
		'The business number and the customer, `{phoneNumberId}:{customer}` (the customer is `from`, else `fromUserId`; for echoes `to`), for grouping a burst of messages per sender. On-Premise bodies name no business number: the key is the customer alone. Null when the customer is unknown.',
	),
};

export const MessageEventSchema = z.object({
	kind: z.literal('message'),
	...base,
	...messageFields,
});

/** A message the business sent from the WhatsApp Business app (coexistence echo). */
export const EchoEventSchema = z.object({
	kind: z.literal('echo'),
	...base,
	...messageFields,
	to: Str,
});

export const StatusEventSchema = z.object({
	kind: z.literal('status'),
	...base,
	status: z.string().describe('The status value as received, e.g. sent, delivered, read, failed.'),
	messageId: Str.describe('The WhatsApp message id (wamid. on Cloud).'),
	recipientId: Str.describe("The customer's phone number (or group id)."),
	recipientUserId: Str.describe("The customer's business-scoped user id."),
	recipientParentUserId: Str.describe('The parent BSUID, when parent BSUIDs are enabled.'),
	recipientUsername: Str.describe(
		"The customer's WhatsApp username (delivered and read statuses), when they have one.",
	),
	recipientType: Str.describe(
		'`individual`, or `group` for a message sent to a group (then recipientId is the group id).',
	),
	recipientParticipantId: Str.describe(
		'For a group message: the participant this status is about (each participant reports its own).',
	),
	bizOpaqueCallbackData: Str.describe(
		'The `biz_opaque_callback_data` the business sent with the message, echoed back by Meta.',
	),
	conversation: z
		.object({ id: Str, origin: Str, expiresAt: Str })
		.nullable()
		.describe('id, origin (category) and expiresAt, when Meta sends them.'),
	pricing: z
		.object({ billable: Bool, model: Str, category: Str, type: Str })
		.nullable()
		.describe(
			'billable, model (CBP/PMP), category and type as sent (any value: e.g. `marketing_lite`, `group_marketing`, `free_entry_point`), when Meta sends them.',
		),
	errors: z
		.array(ErrorDetailSchema)
		.describe('Error details: code, title, message, details, href. Always a list.'),
	errorMeaning: Str.describe(
		'For a failed message: what its error code means and what to do, from the error table; null when there is no error or the code is not in the table.',
	),
	retryable: Bool.describe(
		'For a failed message: whether sending again later can succeed (true for rate limits and temporary outages); null when there is no error or the code is not in the table.',
	),
});

export const ErrorEventSchema = z.object({
	kind: z.literal('error'),
	...base,
	...ErrorDetailSchema.shape,
	field: Str.describe('The change field the error came with (Cloud), or null.'),
});

const templateFields = {
	templateId: Str.describe('Meta template id.'),
	templateName: Str.describe('Template name.'),
	templateLanguage: Str.describe('Template language, e.g. en_US.'),
	templateStatus: Str.describe('Status event value, e.g. APPROVED, REJECTED, PAUSED, DISABLED.'),
	reason: Str.describe('Rejection or status reason.'),
	category: Str.describe('Template or preference category.'),
	previousCategory: Str.describe('The category before a category change.'),
	previousQualityRating: Str.describe('The rating before the change.'),
	qualityRating: Str.describe('The current quality rating (GREEN, YELLOW, RED) when known.'),
	qualityDropped: Bool.describe('Whether quality went down; null when it cannot be told.'),
	value: Json.describe('The change value (or list element) as received.'),
};

export const TemplateEventSchema = z.object({
	kind: z.enum(['template_status', 'template_quality', 'template_category', 'template_components']),
	...base,
	...templateFields,
});

export const AccountUpdateEventSchema = z.object({
	kind: z.literal('account_update'),
	...base,
	accountEvent: Str.describe(
		'account_update event, e.g. ACCOUNT_VIOLATION, DISABLED_UPDATE, PARTNER_ADDED.',
	),
	phoneNumber: Str.describe('The phone number the event is about.'),
	violationType: Str.describe('Violation type, e.g. ADULT.'),
	banState: Str.describe('DISABLE, REINSTATE or SCHEDULE_FOR_DISABLE.'),
	banDate: Str.describe('When the ban takes effect.'),
	restrictions: z
		.array(z.object({ type: Str, expiresAt: Str }))
		.describe('Restrictions with type and expiresAt.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const AccountReviewEventSchema = z.object({
	kind: z.literal('account_review'),
	...base,
	decision: Str.describe('APPROVED, REJECTED, DEFERRED or PENDING.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const AccountAlertEventSchema = z.object({
	kind: z.literal('account_alert'),
	...base,
	alertType: Str.describe('Meta alert type.'),
	alertSeverity: Str.describe('CRITICAL, WARNING or INFORMATIONAL.'),
	alertStatus: Str.describe('ACTIVE or NONE.'),
	alertDescription: Str.describe("Meta's alert text."),
	entityType: Str.describe('BUSINESS, PHONE_NUMBER, ...'),
	entityId: Str.describe('The id of that entity.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const PhoneNumberQualityEventSchema = z.object({
	kind: z.literal('phone_number_quality'),
	...base,
	qualityEvent: Str.describe(
		"Meta's event value, e.g. FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE.",
	),
	currentLimit: Str.describe('Messaging limit tier, e.g. TIER_1K.'),
	previousLimit: Str.describe('The tier before the change.'),
	qualityRating: Str.describe('The current quality rating (GREEN, YELLOW, RED) when known.'),
	qualityDropped: Bool.describe('Whether quality went down; null when it cannot be told.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const PhoneNumberNameEventSchema = z.object({
	kind: z.literal('phone_number_name'),
	...base,
	decision: Str.describe('APPROVED, REJECTED, DEFERRED or PENDING.'),
	requestedName: Str.describe('The display name that was requested.'),
	rejectionReason: Str.describe('Why the name was rejected.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const BusinessCapabilityEventSchema = z.object({
	kind: z.literal('business_capability'),
	...base,
	maxDailyConversations: Num.describe('Daily conversation (messaging) limit.'),
	maxPhoneNumbersPerWaba: Num.describe('How many numbers the WABA may have.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const SecurityEventSchema = z.object({
	kind: z.literal('security'),
	...base,
	securityEvent: Str.describe('e.g. PIN_RESET_REQUEST.'),
	requester: Str.describe('Who requested it.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const HistoryEventSchema = z.object({
	kind: z.literal('history'),
	...base,
	phase: Num.describe('History phase: 0 = day 0-1, 1 = days 1-90, 2 = days 90-180.'),
	chunkOrder: Num.describe('Order of this history chunk; chunks may arrive out of order.'),
	progress: Num.describe('Sync progress, 0-100.'),
	threadCount: z.number().describe('Chat threads in this chunk.'),
	messageCount: z.number().describe('Messages in this chunk.'),
	errors: z
		.array(ErrorDetailSchema)
		.describe('Error details: code, title, message, details, href. Always a list.'),
	value: Json.describe('The change value (or list element) as received.'),
});

export const AppStateSyncEventSchema = z.object({
	kind: z.literal('app_state_sync'),
	...base,
	syncType: Str.describe('What changed, e.g. contact.'),
	action: Str.describe('add or remove.'),
	contactName: Str.describe("The synced contact's name in the business's address book."),
	contactPhoneNumber: Str.describe("The contact's phone number."),
	value: Json.describe('The change value (or list element) as received.'),
});

export const UserPreferenceEventSchema = z.object({
	kind: z.literal('user_preference'),
	...base,
	waId: Str.describe("The customer's WhatsApp id (phone)."),
	userId: Str.describe("The customer's business-scoped user id."),
	category: Str.describe('Template or preference category.'),
	preference: Str.describe('`stop` or `resume`.'),
	detail: Str.describe("Meta's explanation."),
	value: Json.describe('The change value (or list element) as received.'),
});

export const CallEventSchema = z.object({
	kind: z.literal('call'),
	...base,
	callId: Str.describe('WhatsApp call id (wacid.).'),
	callEvent: Str.describe(
		'`connect`, `terminate`, ... for calls; the status (e.g. RINGING) for call statuses.',
	),
	callStatus: Str.describe('Call status, e.g. RINGING, COMPLETED.'),
	from: Str.describe('Caller.'),
	to: Str.describe('The customer the business wrote to.'),
	direction: Str.describe('USER_INITIATED or BUSINESS_INITIATED.'),
	durationSeconds: Num.describe('Call duration.'),
	value: Json.describe('The change value (or list element) as received.'),
});

const ParticipantSchema = z.object({
	input: Str,
	waId: Str,
	userId: Str,
	errors: z.array(ErrorDetailSchema),
});

/** One `groups[]` element of a group_lifecycle, _participants, _settings or _status update. */
export const GroupEventSchema = z.object({
	kind: z.literal('group'),
	...base,
	groupId: Str.describe('The group id.'),
	groupEvent: Str.describe(
		'The element type as received, e.g. group_create, group_participants_add, group_suspend.',
	),
	requestId: Str.describe(
		'The id of the API request that caused it (create, delete, remove, settings).',
	),
	subject: Str.describe('Group subject (name), when set or changed.'),
	description: Str.describe('Group description, when set or changed.'),
	inviteLink: Str.describe('Invite link of a created group.'),
	joinApprovalMode: Str.describe('Whether joining needs approval, for a created group.'),
	reason: Str.describe('Why participants changed, e.g. invite_link.'),
	initiatedBy: Str.describe('`business` or `participant` (a participant who left).'),
	joinRequestId: Str.describe('The join request, for join requests and their cancellation.'),
	waId: Str.describe('The user who asked to join, for join requests.'),
	addedParticipants: z
		.array(ParticipantSchema)
		.describe('Participants added: input, waId, userId, errors. Always a list.'),
	removedParticipants: z
		.array(ParticipantSchema)
		.describe('Participants removed (or who left). Always a list.'),
	failedParticipants: z
		.array(ParticipantSchema)
		.describe('Participants a removal failed for, with errors. Always a list.'),
	settings: z
		.array(
			z.object({
				name: z.string(),
				text: Str,
				successful: Bool,
				errors: z.array(ErrorDetailSchema),
			}),
		)
		.describe(
			'Settings a settings update tried: name (group_subject, group_description, profile_picture), text, successful, errors.',
		),
	errors: z
		.array(ErrorDetailSchema)
		.describe('Error details: code, title, message, details, href. Always a list.'),
	value: Json.describe('The change value (or list element) as received.'),
});

/** One `user_actions[]` element of a `messages` change, e.g. a marketing message link click. */
export const UserActionEventSchema = z.object({
	kind: z.literal('user_action'),
	...base,
	actionType: z
		.string()
		.describe('The action type as received, e.g. marketing_messages_link_click.'),
	clickId: Str.describe('The click id (also appended to the URL the user opened).'),
	clickComponent: Str.describe('What was clicked: `cta` or `body`.'),
	productId: Str.describe('The product id, when one was set in Ads Manager or the Marketing API.'),
	trackingToken: Str.describe("Meta's tracking token."),
	value: Json.describe('The change value (or list element) as received.'),
});

/** A known Cloud change field with no dedicated kind (partner_solutions, automatic_events, ...). */
export const ChangeEventSchema = z.object({
	kind: z.literal('change'),
	...base,
	field: z.string().describe('The change field as received.'),
	value: Json.describe('The change value (or list element) as received.'),
});

/** Anything unrecognised: a new change field, or a body that matches no known envelope. */
export const UnknownEventSchema = z.object({
	kind: z.literal('unknown'),
	...base,
	field: Str.describe('The change field as received; null for an element that was not understood.'),
	value: z
		.unknown()
		.describe(
			'The change value, the element that was not understood, or the whole body, as received.',
		),
	problem: Str.describe(
		'Why the element (or the whole body) was not understood; null for a new change field, which is simply not in the catalog yet.',
	),
	path: Str.describe(
		'The JSON path of the element that was not understood, e.g. `$.entry[0].changes[0].value.messages[1]`; `$` for a whole body; null for a new change field.',
	),
});

export const PartnerEventSchema = z.object({
	kind: z.literal('partner'),
	...base,
	partnerEvent: z
		.string()
		.describe('The event name exactly as received, e.g. `channel_live` or `DISABLED_UPDATE`.'),
	eventId: Str.describe('The partner event id (the dedup key).'),
	channelId: Str.describe('360dialog channel id.'),
	clientId: Str.describe('360dialog client id.'),
	clientName: Str.describe('Client name.'),
	phoneNumber: Str.describe('The phone number the event is about.'),
	phoneName: Str.describe('The display name of the number.'),
	status: Str.describe("The channel's status as received, e.g. ready, running, pending_deletion."),
	accountMode: Str.describe('sandbox or live.'),
	qualityRating: Str.describe('The current quality rating (GREEN, YELLOW, RED) when known.'),
	previousQualityRating: Str.describe('The rating before the change.'),
	qualityEvent: Str.describe('The quality event value, e.g. FLAGGED.'),
	qualityDropped: Bool.describe('Whether quality went down; null when it cannot be told.'),
	messagingLimit: Str.describe('Messaging limit, e.g. TIER_1K.'),
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
		.nullable()
		.describe(
			'id (360dialog), externalId (Meta), name, language, status, reason, category, qualityScore.',
		),
	violation: z
		.object({ type: Str, info: Str })
		.nullable()
		.describe(
			'type and info of a violation; info is the JSON text of `violation_info`, cut at 32 levels and 16 KB.',
		),
	templateStatus: Str.describe(
		"The template's new status (mirrors template.status), for the severity table and filters.",
	),
	data: Json.describe("The event's data object as received."),
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
	GroupEventSchema,
	UserActionEventSchema,
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
export type GroupEvent = z.infer<typeof GroupEventSchema>;
export type UserActionEvent = z.infer<typeof UserActionEventSchema>;
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type Source = NormalizedEvent['source'];
