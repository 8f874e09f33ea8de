import { z } from 'zod';

/**
 * Incoming payload shapes: WhatsApp Cloud API, legacy On-Premise API and 360dialog Partner Hub.
 * Every object passes unknown keys through, because Meta adds fields without notice. Identifiers
 * and timestamps accept strings or numbers: Meta sends both (`message_template_id` is a number,
 * `timestamp` a numeric string, `user_preferences[].timestamp` a number).
 */

const Id = z.union([z.string(), z.number()]);
const loose = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();
const AnyObject = loose({});

export const MediaInputSchema = loose({
	id: Id.optional(),
	mime_type: z.string().optional(),
	sha256: z.string().optional(),
	caption: z.string().optional(),
	filename: z.string().optional(),
	voice: z.boolean().optional(),
	animated: z.boolean().optional(),
	url: z.string().optional(),
	link: z.string().optional(),
});

export const ErrorInputSchema = loose({
	code: Id.optional(),
	title: z.string().optional(),
	message: z.string().optional(),
	details: z.string().optional(),
	href: z.string().optional(),
	error_data: loose({ details: z.string().optional() }).optional(),
});

export const ContextInputSchema = loose({
	from: z.string().optional(),
	id: z.string().optional(),
	forwarded: z.boolean().optional(),
	frequently_forwarded: z.boolean().optional(),
	referred_product: loose({
		catalog_id: Id.optional(),
		product_retailer_id: Id.optional(),
	}).optional(),
});

export const InteractiveInputSchema = loose({
	type: z.string().optional(),
	button_reply: loose({
		id: Id.optional(),
		title: z.string().optional(),
		description: z.string().optional(),
	}).optional(),
	list_reply: loose({
		id: Id.optional(),
		title: z.string().optional(),
		description: z.string().optional(),
	}).optional(),
	nfm_reply: loose({
		name: z.string().optional(),
		body: z.string().optional(),
		response_json: z.union([z.string(), AnyObject]).optional(),
	}).optional(),
	// Any other reply type (call_permission_reply, ...) is read under its `type` as a kind "other"
	// reply, taking `id`, `title` and `description` where it has them.
}).catchall(z.unknown());

/** A message as found in Cloud `value.messages[]`, `value.message_echoes[]` and On-Premise `messages[]`. */
export const MessageInputSchema = loose({
	id: Id.optional(),
	from: z.string().optional(),
	from_user_id: z.string().optional(),
	from_parent_user_id: z.string().optional(),
	group_id: z.string().optional(),
	to: z.string().optional(),
	timestamp: Id.optional(),
	type: z.string().optional(),
	text: loose({ body: z.string().optional() }).optional(),
	image: MediaInputSchema.optional(),
	video: MediaInputSchema.optional(),
	audio: MediaInputSchema.optional(),
	voice: MediaInputSchema.optional(),
	document: MediaInputSchema.optional(),
	sticker: MediaInputSchema.optional(),
	location: loose({
		latitude: z.number().optional(),
		longitude: z.number().optional(),
		name: z.string().optional(),
		address: z.string().optional(),
		url: z.string().optional(),
	}).optional(),
	contacts: z.array(AnyObject).optional(),
	interactive: InteractiveInputSchema.optional(),
	button: loose({
		payload: z.string().nullable().optional(),
		text: z.string().optional(),
	}).optional(),
	reaction: loose({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
	order: loose({
		catalog_id: Id.optional(),
		text: z.string().optional(),
		product_items: z.array(AnyObject).optional(),
	}).optional(),
	system: loose({
		body: z.string().optional(),
		type: z.string().optional(),
		wa_id: z.string().optional(),
		new_wa_id: z.string().optional(),
		user_id: z.string().optional(),
		new_user_id: z.string().optional(),
		previous_user_id: z.string().optional(),
	}).optional(),
	referral: AnyObject.optional(),
	context: ContextInputSchema.optional(),
	errors: z.array(ErrorInputSchema).optional(),
	// type `edit`: the new content is a message of its own; type `revoke`: a deleted message.
	edit: loose({
		original_message_id: z.string().optional(),
		message: z.lazy((): z.ZodTypeAny => MessageInputSchema).optional(),
	}).optional(),
	revoke: loose({ original_message_id: z.string().optional() }).optional(),
});

export const ContactInputSchema = loose({
	wa_id: z.string().optional(),
	user_id: z.string().optional(),
	parent_user_id: z.string().optional(),
	profile: loose({ name: z.string().optional(), username: z.string().optional() }).optional(),
});

export const StatusInputSchema = loose({
	id: Id.optional(),
	status: z.string().optional(),
	timestamp: Id.optional(),
	recipient_id: z.string().optional(),
	recipient_user_id: z.string().optional(),
	parent_recipient_user_id: z.string().optional(),
	recipient_parent_user_id: z.string().optional(),
	// Group messages report a status per participant.
	recipient_type: z.string().optional(),
	recipient_participant_id: z.string().optional(),
	biz_opaque_callback_data: z.string().optional(),
	// Call statuses (field `calls`) come in the same list.
	event: z.string().optional(),
	from: z.string().optional(),
	to: z.string().optional(),
	direction: z.string().optional(),
	duration: Id.optional(),
	conversation: loose({
		id: z.string().optional(),
		expiration_timestamp: Id.optional(),
		origin: loose({ type: z.string().optional() }).optional(),
	}).optional(),
	// Categories and types stay open strings: Meta adds values (marketing_lite, group_marketing, ...).
	pricing: loose({
		billable: z.boolean().optional(),
		pricing_model: z.string().optional(),
		category: z.string().optional(),
		type: z.string().optional(),
	}).optional(),
	errors: z.array(ErrorInputSchema).optional(),
});

/**
 * `entry[].changes[].value`. The lists the normalizer splits must be arrays of objects. Besides the
 * messaging lists, one value shape serves every other change field; which keys a field uses is in
 * its comment.
 */
export const CloudValueInputSchema = loose({
	metadata: loose({
		display_phone_number: z.string().optional(),
		phone_number_id: Id.optional(),
	}).optional(),
	contacts: z.array(ContactInputSchema).optional(),
	messages: z.array(MessageInputSchema).optional(),
	statuses: z.array(StatusInputSchema).optional(),
	errors: z.array(ErrorInputSchema).optional(),
	message_echoes: z.array(MessageInputSchema).optional(),
	calls: z.array(AnyObject).optional(),
	user_preferences: z.array(AnyObject).optional(),
	state_sync: z.array(AnyObject).optional(),
	groups: z.array(AnyObject).optional(),
	user_actions: z.array(AnyObject).optional(),
	// Several account and template fields: what happened.
	event: z.string().optional(),
	reason: z.string().optional(),
	decision: z.string().optional(),
	display_phone_number: z.string().optional(),
	phone_number: z.string().optional(),
	// message_template_status_update, _quality_update, _category_update, template_category_update
	message_template_id: Id.optional(),
	message_template_name: z.string().optional(),
	message_template_language: z.string().optional(),
	message_template_category: z.string().optional(),
	previous_category: z.string().optional(),
	new_category: z.string().optional(),
	previous_quality_score: z.string().optional(),
	new_quality_score: z.string().optional(),
	// account_update
	violation_info: loose({ violation_type: z.string().optional() }).optional(),
	ban_info: loose({
		waba_ban_state: z.union([z.string(), z.array(z.string())]).optional(),
		waba_ban_date: z.string().optional(),
	}).optional(),
	restriction_info: z
		.array(loose({ restriction_type: z.string().optional(), expiration: Id.optional() }))
		.optional(),
	// account_alerts
	entity_type: z.string().optional(),
	entity_id: Id.optional(),
	alert_info: loose({
		alert_severity: z.string().optional(),
		alert_status: z.string().optional(),
		alert_type: z.string().optional(),
		alert_description: z.string().optional(),
	}).optional(),
	// phone_number_quality_update
	quality_rating: z.string().optional(),
	current_quality_rating: z.string().optional(),
	previous_quality_rating: z.string().optional(),
	current_limit: z.string().optional(),
	old_limit: z.string().optional(),
	// phone_number_name_update
	requested_verified_name: z.string().optional(),
	rejection_reason: z.string().nullable().optional(),
	// business_capability_update
	max_daily_conversations_per_business: Id.optional(),
	max_phone_numbers_per_waba: Id.optional(),
	// security
	requester: z.string().optional(),
	// history (coexistence): chunks of past threads.
	history: z
		.array(
			loose({
				metadata: loose({
					phase: Id.optional(),
					chunk_order: Id.optional(),
					progress: Id.optional(),
				}).optional(),
				threads: z.array(loose({ messages: z.array(AnyObject).optional() })).optional(),
				errors: z.array(ErrorInputSchema).optional(),
			}),
		)
		.optional(),
});

export type CloudValue = z.infer<typeof CloudValueInputSchema>;
type Loose<T> = T & Record<string, unknown>;
export type CloudChange = Loose<{ field: string; value: CloudValue }>;
export type CloudEntry = Loose<{
	id?: string | number;
	time?: string | number;
	changes: CloudChange[];
}>;
export type CloudEnvelope = Loose<{ object: 'whatsapp_business_account'; entry: CloudEntry[] }>;
export type CloudPayload = CloudEnvelope | CloudChange;

// The three outer levels are annotated: their inferred zod types are too large for declaration files.
export const CloudChangeInputSchema: z.ZodType<CloudChange, z.ZodTypeDef, unknown> = loose({
	field: z.string(),
	value: CloudValueInputSchema,
});

export const CloudEntryInputSchema: z.ZodType<CloudEntry, z.ZodTypeDef, unknown> = loose({
	id: Id.optional(),
	time: Id.optional(),
	changes: z.array(CloudChangeInputSchema),
});

/** The Cloud API envelope. A bare `{field, value}` change (Meta's dashboard test sample) is accepted too. */
export const CloudPayloadSchema: z.ZodType<CloudPayload, z.ZodTypeDef, unknown> = z.union([
	loose({ object: z.literal('whatsapp_business_account'), entry: z.array(CloudEntryInputSchema) }),
	CloudChangeInputSchema,
]);

/** The legacy On-Premise body: top-level lists, no envelope. */
export const OnPremisePayloadSchema = loose({
	contacts: z.array(ContactInputSchema).optional(),
	messages: z.array(MessageInputSchema).optional(),
	statuses: z.array(StatusInputSchema).optional(),
	errors: z.array(ErrorInputSchema).optional(),
});

/** One Partner Hub event. `data` is the channel object, a template update, a flow alert, ... */
export const PartnerEventInputSchema = loose({
	id: Id.optional(),
	event: z.string().min(1),
	data: AnyObject.optional(),
	// When the event happened, under either name.
	timestamp: Id.optional(),
	created_at: Id.optional(),
});

/** A Partner Hub body: one event, or a JSON array of events. */
export const PartnerPayloadSchema = z.union([
	PartnerEventInputSchema,
	z.array(PartnerEventInputSchema),
]);

export type WhatsAppMessage = z.infer<typeof MessageInputSchema>;
export type WhatsAppContact = z.infer<typeof ContactInputSchema>;
export type WhatsAppStatus = z.infer<typeof StatusInputSchema>;
export type WhatsAppError = z.infer<typeof ErrorInputSchema>;
export type OnPremisePayload = z.infer<typeof OnPremisePayloadSchema>;
export type PartnerEvent = z.infer<typeof PartnerEventInputSchema>;
