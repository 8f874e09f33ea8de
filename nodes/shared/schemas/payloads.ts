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

export const MediaSchema = loose({
	id: Id.optional(),
	mime_type: z.string().optional(),
	sha256: z.string().optional(),
	caption: z.string().optional(),
	filename: z.string().optional(),
	voice: z.boolean().optional(),
	animated: z.boolean().optional(),
	url: z.string().optional(),
	link: z.string().optional(),
	file: z.string().optional(),
});

export const ErrorSchema = loose({
	code: Id.optional(),
	title: z.string().optional(),
	message: z.string().optional(),
	details: z.string().optional(),
	href: z.string().optional(),
	error_data: loose({ details: z.string().optional() }).optional(),
});

export const ContextSchema = loose({
	from: z.string().optional(),
	id: z.string().optional(),
	forwarded: z.boolean().optional(),
	frequently_forwarded: z.boolean().optional(),
	referred_product: loose({
		catalog_id: Id.optional(),
		product_retailer_id: Id.optional(),
	}).optional(),
	mentions: z.array(z.string()).optional(),
});

export const InteractiveSchema = loose({
	type: z.string().optional(),
	button_reply: loose({ id: Id.optional(), title: z.string().optional() }).optional(),
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
});

/** A message as found in Cloud `value.messages[]`, `value.message_echoes[]` and On-Premise `messages[]`. */
export const MessageSchema = loose({
	id: Id.optional(),
	from: z.string().optional(),
	from_user_id: z.string().optional(),
	from_parent_user_id: z.string().optional(),
	group_id: z.string().optional(),
	to: z.string().optional(),
	timestamp: Id.optional(),
	type: z.string().optional(),
	text: loose({ body: z.string().optional() }).optional(),
	image: MediaSchema.optional(),
	video: MediaSchema.optional(),
	audio: MediaSchema.optional(),
	voice: MediaSchema.optional(),
	document: MediaSchema.optional(),
	sticker: MediaSchema.optional(),
	location: loose({
		latitude: z.number().optional(),
		longitude: z.number().optional(),
		name: z.string().optional(),
		address: z.string().optional(),
		url: z.string().optional(),
	}).optional(),
	contacts: z.array(AnyObject).optional(),
	interactive: InteractiveSchema.optional(),
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
		previous_user_id: z.string().optional(),
	}).optional(),
	referral: AnyObject.optional(),
	context: ContextSchema.optional(),
	errors: z.array(ErrorSchema).optional(),
});

export const ContactSchema = loose({
	wa_id: z.string().optional(),
	user_id: z.string().optional(),
	parent_user_id: z.string().optional(),
	profile: loose({ name: z.string().optional(), username: z.string().optional() }).optional(),
});

export const StatusSchema = loose({
	id: Id.optional(),
	status: z.string().optional(),
	timestamp: Id.optional(),
	recipient_id: z.string().optional(),
	recipient_user_id: z.string().optional(),
	parent_recipient_user_id: z.string().optional(),
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
	errors: z.array(ErrorSchema).optional(),
});

/** `entry[].changes[].value`. The lists the normalizer splits must be arrays of objects. */
export const CloudValueSchema = loose({
	messaging_product: z.string().optional(),
	metadata: loose({
		display_phone_number: z.string().optional(),
		phone_number_id: Id.optional(),
	}).optional(),
	contacts: z.array(ContactSchema).optional(),
	messages: z.array(MessageSchema).optional(),
	statuses: z.array(StatusSchema).optional(),
	errors: z.array(ErrorSchema).optional(),
	message_echoes: z.array(MessageSchema).optional(),
	calls: z.array(AnyObject).optional(),
	user_preferences: z.array(AnyObject).optional(),
	state_sync: z.array(AnyObject).optional(),
	groups: z.array(AnyObject).optional(),
	user_actions: z.array(AnyObject).optional(),
});

export type CloudValue = z.infer<typeof CloudValueSchema>;
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
export const CloudChangeSchema: z.ZodType<CloudChange, z.ZodTypeDef, unknown> = loose({
	field: z.string(),
	value: CloudValueSchema,
});

export const CloudEntrySchema: z.ZodType<CloudEntry, z.ZodTypeDef, unknown> = loose({
	id: Id.optional(),
	time: Id.optional(),
	changes: z.array(CloudChangeSchema),
});

/** The Cloud API envelope. A bare `{field, value}` change (Meta's dashboard test sample) is accepted too. */
export const CloudPayloadSchema: z.ZodType<CloudPayload, z.ZodTypeDef, unknown> = z.union([
	loose({ object: z.literal('whatsapp_business_account'), entry: z.array(CloudEntrySchema) }),
	CloudChangeSchema,
]);

/** The legacy On-Premise body: top-level lists, no envelope. */
export const OnPremisePayloadSchema = loose({
	contacts: z.array(ContactSchema).optional(),
	messages: z.array(MessageSchema).optional(),
	statuses: z.array(StatusSchema).optional(),
	errors: z.array(ErrorSchema).optional(),
});

/** One Partner Hub event. `data` is the channel object, a template update, a flow alert, ... */
export const PartnerEventSchema = loose({
	id: Id.optional(),
	event: z.string().min(1),
	data: AnyObject.optional(),
});

/** A Partner Hub body: one event, or a JSON array of events. */
export const PartnerPayloadSchema = z.union([PartnerEventSchema, z.array(PartnerEventSchema)]);

export type WhatsAppMessage = z.infer<typeof MessageSchema>;
export type WhatsAppContact = z.infer<typeof ContactSchema>;
export type WhatsAppStatus = z.infer<typeof StatusSchema>;
export type WhatsAppError = z.infer<typeof ErrorSchema>;
export type OnPremisePayload = z.infer<typeof OnPremisePayloadSchema>;
export type PartnerEvent = z.infer<typeof PartnerEventSchema>;
