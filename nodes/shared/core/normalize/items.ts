import { MEDIA_MESSAGE_TYPES, type Severity } from '../catalog';
import { explainErrors } from '../errorCatalog';
import type {
	EchoEvent,
	ErrorDetail,
	ErrorEvent,
	MessageEvent,
	NormalizedKind,
	Source,
} from '../schemas/normalized';
import type { Emit } from './emit';
import { bool, instant, isObject, num, obj, str, type Instant, type JsonObject } from './read';

/** The message-specific fields of a message or echo item, shared by Cloud and On-Premise. */
export type MessageFields = Omit<
	MessageEvent,
	| 'kind'
	| 'event'
	| 'source'
	| 'id'
	| 'timestamp'
	| 'timestampUnix'
	| 'wabaId'
	| 'phoneNumberId'
	| 'displayPhoneNumber'
	| 'severity'
	| 'raw'
>;

const MEDIA_TYPES: readonly string[] = MEDIA_MESSAGE_TYPES;

export function errorDetail(error: JsonObject): ErrorDetail {
	const data = obj(error.error_data);
	return {
		code: num(error.code),
		title: str(error.title),
		message: str(error.message) ?? str(error.title),
		details: str(error.details) ?? (data && str(data.details)),
		href: str(error.href),
	};
}

/** A value-level (Cloud) or top-level (On-Premise) error item. */
export function errorItem(
	source: 'cloud' | 'on_premise',
	origin: BusinessNumber,
	time: Instant,
	error: JsonObject,
	field: string | null,
): ErrorEvent {
	return Object.assign(baseItem('error', 'error', source, origin, time), errorDetail(error), {
		field,
	});
}

export function errorDetails(value: unknown): ErrorDetail[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isObject).map(errorDetail);
}

/** The sender's entry in `contacts[]`: matched by phone or user id, or the only one there is. */
export function findContact(contacts: JsonObject[], message: JsonObject): JsonObject | null {
	if (contacts.length === 0) return null;
	const from = str(message.from);
	const fromUserId = str(message.from_user_id);
	for (const contact of contacts) {
		if (from !== null && contact.wa_id === from) return contact;
		if (fromUserId !== null && contact.user_id === fromUserId) return contact;
	}
	return contacts.length === 1 ? contacts[0] : null;
}

/**
 * The normalized type: On-Premise sends voice notes as `voice`, Cloud as `audio` with
 * `audio.voice: true`. Both become `audio`.
 */
const normalizedType = (type: string): string => (type === 'voice' ? 'audio' : type);

function media(content: JsonObject, rawType: string): MessageFields['media'] {
	const type = normalizedType(rawType);
	if (!MEDIA_TYPES.includes(type)) return null;
	const source = obj(content[rawType]);
	if (source === null) return null;
	return {
		id: str(source.id),
		mimeType: str(source.mime_type),
		sha256: str(source.sha256),
		caption: str(source.caption),
		filename: str(source.filename),
		voice: type === 'audio' ? (bool(source.voice) ?? rawType === 'voice') : null,
		animated: type === 'sticker' ? bool(source.animated) : null,
		url: str(source.url) ?? str(source.link),
	};
}

function parseFlowResponse(value: unknown): JsonObject | null {
	if (isObject(value)) return value;
	if (typeof value !== 'string') return null;
	try {
		const parsed: unknown = JSON.parse(value);
		return isObject(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

function reply(content: JsonObject, type: string): MessageFields['reply'] {
	if (type === 'button') {
		const button = obj(content.button);
		if (button === null) return null;
		return {
			kind: 'quick_reply',
			id: null,
			title: str(button.text),
			description: null,
			payload: str(button.payload),
			flowResponse: null,
		};
	}
	if (type !== 'interactive') return null;
	const interactive = obj(content.interactive);
	if (interactive === null) return null;
	const subtype = str(interactive.type);
	const detail = subtype === null ? null : obj(interactive[subtype]);
	if (subtype === 'nfm_reply') {
		return {
			kind: 'flow',
			id: detail && str(detail.name),
			title: detail && str(detail.body),
			description: null,
			payload: null,
			flowResponse: detail && parseFlowResponse(detail.response_json),
		};
	}
	const kind = subtype === 'button_reply' ? 'button' : subtype === 'list_reply' ? 'list' : 'other';
	return {
		kind,
		id: detail && str(detail.id),
		title: detail && str(detail.title),
		description: detail && str(detail.description),
		payload: null,
		flowResponse: null,
	};
}

function context(message: JsonObject): MessageFields['context'] {
	const source = obj(message.context);
	if (source === null) return null;
	const product = obj(source.referred_product);
	return {
		messageId: str(source.id),
		from: str(source.from),
		forwarded: source.forwarded === true,
		frequentlyForwarded: source.frequently_forwarded === true,
		referredProduct: product && {
			catalogId: str(product.catalog_id),
			productRetailerId: str(product.product_retailer_id),
		},
	};
}

function location(content: JsonObject): MessageFields['location'] {
	const source = obj(content.location);
	if (source === null) return null;
	return {
		latitude: num(source.latitude),
		longitude: num(source.longitude),
		name: str(source.name),
		address: str(source.address),
		url: str(source.url),
	};
}

function order(content: JsonObject): MessageFields['order'] {
	const source = obj(content.order);
	if (source === null) return null;
	const items = Array.isArray(source.product_items) ? source.product_items.filter(isObject) : [];
	return {
		catalogId: str(source.catalog_id),
		text: str(source.text),
		items: items.map((item) => ({
			productRetailerId: str(item.product_retailer_id),
			quantity: num(item.quantity),
			itemPrice: num(item.item_price),
			currency: str(item.currency),
		})),
	};
}

function system(content: JsonObject): MessageFields['system'] {
	const source = obj(content.system);
	if (source === null) return null;
	return {
		type: str(source.type),
		body: str(source.body),
		newWaId: str(source.wa_id) ?? str(source.new_wa_id),
		newUserId: str(source.user_id) ?? str(source.new_user_id),
		previousUserId: str(source.previous_user_id),
	};
}

function text(
	content: JsonObject,
	fields: Pick<MessageFields, 'media' | 'reply' | 'order' | 'system'>,
): string | null {
	const body = obj(content.text);
	if (body !== null && typeof body.body === 'string') return body.body;
	if (fields.media?.caption) return fields.media.caption;
	if (fields.reply) return fields.reply.title;
	if (fields.order) return fields.order.text;
	if (fields.system) return fields.system.body;
	return null;
}

/** The business number an item belongs to (Cloud metadata; all null for On-Premise). */
export interface BusinessNumber {
	wabaId: string | null;
	phoneNumberId: string | null;
	displayPhoneNumber: string | null;
}

/**
 * The fields every item shares, written out. Items add their own fields with Object.assign: an
 * object spread here costs microseconds per item, on the hot path.
 */
export function baseItem<K extends NormalizedKind>(
	kind: K,
	event: string,
	source: Source,
	origin: BusinessNumber,
	time: Instant,
) {
	return {
		kind,
		event,
		source,
		id: null as string | null,
		timestamp: time.timestamp,
		timestampUnix: time.timestampUnix,
		wabaId: origin.wabaId,
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		severity: 'info' as Severity,
	};
}

/**
 * A message or echo item from one message object. For `edit`, the content (text, media, ...) is
 * the edited message inside `edit.message`; the ids and sender stay those of the outer message.
 * Written as one literal rather than baseItem() plus Object.assign: this runs for every message,
 * and the literal is several times faster.
 */
export function messageItem(
	kind: 'message' | 'echo',
	source: 'cloud' | 'on_premise',
	origin: BusinessNumber,
	message: JsonObject,
	contact: JsonObject | null,
): MessageEvent | EchoEvent {
	const rawType = str(message.type) ?? 'unknown';
	const type = normalizedType(rawType);
	const edit = type === 'edit' ? obj(message.edit) : null;
	const edited = edit && obj(edit.message);
	const content = edited ?? message;
	const contentType = edited ? (str(edited.type) ?? 'unknown') : rawType;
	const profile = contact && obj(contact.profile);
	const messageId = str(message.id);
	const time = instant(message.timestamp);

	// Each type lifts only the object it names; anything else stays in the raw message.
	const shown = normalizedType(contentType);
	const fields = {
		media: media(content, contentType),
		reply: reply(content, shown),
		order: shown === 'order' ? order(content) : null,
		system: shown === 'system' ? system(content) : null,
	};
	const reaction = type === 'reaction' ? obj(message.reaction) : null;
	const revoke = type === 'revoke' ? obj(message.revoke) : null;
	// Keys in reading order (n8n's table view shows them as columns): what happened, who, what
	// they wrote, then the rest. Built in one literal, as this runs for every message.
	const item: MessageEvent = {
		event: `${kind}.${type}`,
		// Meta may send a withheld phone number as an empty `wa_id`: that is no phone number.
		from: str(message.from) || (contact && str(contact.wa_id)) || null,
		contactName: profile && str(profile.name),
		text: text(content, fields),
		type,
		timestamp: time.timestamp,
		kind: 'message',
		source,
		id: messageId,
		messageId,
		fromUserId: str(message.from_user_id) ?? (contact && str(contact.user_id)),
		fromParentUserId: str(message.from_parent_user_id) ?? (contact && str(contact.parent_user_id)),
		contactUsername: profile && str(profile.username),
		media: fields.media,
		location: shown === 'location' ? location(content) : null,
		contacts:
			shown === 'contacts' && Array.isArray(content.contacts)
				? content.contacts.filter(isObject)
				: null,
		reply: fields.reply,
		reaction: reaction && {
			messageId: str(reaction.message_id),
			emoji: str(reaction.emoji) || null,
		},
		order: fields.order,
		context: context(message),
		referral: obj(message.referral),
		system: fields.system,
		originalMessageId:
			(edit && str(edit.original_message_id)) ?? (revoke && str(revoke.original_message_id)),
		groupId: str(message.group_id),
		errors: errorDetails(message.errors),
		windowExpiresAt: kind === 'message' && type !== 'system' ? windowEnd(time) : null,
		conversationKey: null,
		timestampUnix: time.timestampUnix,
		wabaId: origin.wabaId,
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		severity: 'info',
	};
	if (kind === 'message') {
		item.conversationKey = conversationKey(origin, item.from ?? item.fromUserId);
		return item;
	}
	// An echo is sent by the business: `from` is the business number, the customer is `to`.
	const echo = item as unknown as EchoEvent;
	echo.kind = 'echo';
	echo.from = str(message.from);
	echo.to = str(message.to);
	echo.conversationKey = conversationKey(origin, echo.to);
	return echo;
}

const CUSTOMER_SERVICE_WINDOW_SECONDS = 24 * 60 * 60;

/** The end of the customer service window a message opens: its time plus 24 hours. */
const windowEnd = (time: Instant): string | null =>
	time.timestampUnix === null
		? null
		: instant(time.timestampUnix + CUSTOMER_SERVICE_WINDOW_SECONDS).timestamp;

/** `{business number}:{customer}`, or the customer alone when the body names no business number. */
function conversationKey(origin: BusinessNumber, customer: string | null): string | null {
	if (customer === null) return null;
	const business = origin.phoneNumberId ?? origin.displayPhoneNumber;
	return business === null ? customer : `${business}:${customer}`;
}

/**
 * A status item, written as one literal like messageItem(): statuses are most of the traffic.
 * `contact` is the recipient's `contacts[]` entry, which carries the username on delivered and
 * read statuses.
 */
export function statusEvent(
	status: JsonObject,
	source: 'cloud' | 'on_premise',
	origin: BusinessNumber,
	emit: Emit,
	contact: JsonObject | null = null,
): void {
	const value = str(status.status) ?? 'unknown';
	const conversation = obj(status.conversation);
	const origins = conversation && obj(conversation.origin);
	const pricing = obj(status.pricing);
	const messageId = str(status.id);
	const time = instant(status.timestamp);
	const profile = contact && obj(contact.profile);
	const errors = errorDetails(status.errors);
	const explained = explainErrors(errors);
	emit(
		{
			// Reading order first (see messageItem): what happened, to whom, when.
			event: `status.${value.toLowerCase()}`,
			status: value,
			recipientId: str(status.recipient_id),
			timestamp: time.timestamp,
			kind: 'status',
			source,
			id: messageId,
			messageId,
			recipientUserId: str(status.recipient_user_id) ?? (contact && str(contact.user_id)),
			recipientParentUserId:
				str(status.parent_recipient_user_id) ??
				str(status.recipient_parent_user_id) ??
				(contact && str(contact.parent_user_id)),
			recipientUsername: profile && str(profile.username),
			recipientType: str(status.recipient_type),
			recipientParticipantId: str(status.recipient_participant_id),
			bizOpaqueCallbackData: str(status.biz_opaque_callback_data),
			conversation: conversation && {
				id: str(conversation.id),
				origin: origins && str(origins.type),
				expiresAt: instant(conversation.expiration_timestamp).timestamp,
			},
			pricing: pricing && {
				billable: typeof pricing.billable === 'boolean' ? pricing.billable : null,
				model: str(pricing.pricing_model),
				category: str(pricing.category),
				type: str(pricing.type),
			},
			errors,
			errorMeaning: explained.errorMeaning,
			retryable: explained.retryable,
			timestampUnix: time.timestampUnix,
			wabaId: origin.wabaId,
			phoneNumberId: origin.phoneNumberId,
			displayPhoneNumber: origin.displayPhoneNumber,
			severity: 'info',
		},
		status,
	);
}
