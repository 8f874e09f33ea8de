// The n8n Code node (JavaScript, "Run Once for All Items") the P4 benchmark compares the
// 360dialog Normalize node with: the kind of hand-written flattening users put after a Webhook node
// today. It turns WhatsApp Cloud API and On-Premise webhook bodies (in `body`) into one item per
// message and per status, with the main fields. bench/e2e/workflows.ts strips the types (TypeScript's
// transpiler: the code stays as written), embeds everything above the marker line near the end and
// adds `return flattenItems($input.all());`. Only type imports may stand above the marker.

import type {
	CloudChange,
	CloudEntry,
	WhatsAppContact,
	WhatsAppError,
	WhatsAppMessage,
	WhatsAppStatus,
} from '../../nodes/shared/core/schemas/payloads';

const MEDIA_KEYS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;

/** The fields of the phone number a body came to. */
interface NumberFields {
	wabaId: string | number | null;
	phoneNumberId: string | number | null;
	displayPhoneNumber: string | null;
}

type Source = 'cloud' | 'on_premise';

/** What a button, a list row or a flow answer carries. */
interface ReplyFields {
	id?: string | number;
	title?: string;
	description?: string;
	response_json?: unknown;
}

interface Reply {
	kind: 'button' | 'list' | 'flow' | 'quick_reply';
	id: string | number | null;
	title: string | null;
	description: string | null;
	payload: string | null;
	flowResponse: object | null;
}

/** A webhook body as the Webhook node stores it: Cloud (an envelope or a bare change) or On-Premise. */
interface Body {
	object?: string;
	entry?: CloudEntry[];
	field?: string;
	contacts?: WhatsAppContact[];
	messages?: WhatsAppMessage[];
	statuses?: WhatsAppStatus[];
}

interface Entry {
	id?: string | number | null;
	changes?: CloudChange[];
}

interface InputItem {
	json: Body & { body?: Body };
}

function toIso(ts: unknown): string | null {
	if (ts === undefined || ts === null || ts === '') return null;
	const seconds = Number(ts);
	if (!Number.isFinite(seconds) || seconds <= 0) return null;
	return new Date(seconds * 1000).toISOString();
}

function toUnix(ts: unknown): number | null {
	const seconds = Number(ts);
	return ts !== undefined && ts !== null && ts !== '' && Number.isFinite(seconds) ? seconds : null;
}

function parseJson(text: unknown): object | null {
	if (typeof text !== 'string') return null;
	try {
		const value = JSON.parse(text);
		return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
	} catch {
		return null;
	}
}

function replyOf(message: WhatsAppMessage): Reply | null {
	const interactive = message.interactive;
	if (interactive) {
		const reply: ReplyFields | undefined =
			interactive.button_reply || interactive.list_reply || interactive.nfm_reply;
		if (!reply) return null;
		return {
			kind: interactive.button_reply ? 'button' : interactive.list_reply ? 'list' : 'flow',
			id: reply.id ?? null,
			title: reply.title ?? null,
			description: reply.description ?? null,
			payload: null,
			flowResponse: interactive.nfm_reply ? parseJson(reply.response_json) : null,
		};
	}
	if (message.button) {
		return {
			kind: 'quick_reply',
			id: null,
			title: message.button.text ?? null,
			description: null,
			payload: message.button.payload ?? null,
			flowResponse: null,
		};
	}
	return null;
}

function flattenMessage(
	message: WhatsAppMessage,
	contacts: WhatsAppContact[],
	number: NumberFields,
	source: Source,
) {
	const contact =
		contacts.find((c) => c.wa_id === message.from) ||
		(contacts.length === 1 ? contacts[0] : null) ||
		({} as WhatsAppContact);
	const type = message.type === 'voice' ? 'audio' : message.type || 'unknown';
	const mediaKey = MEDIA_KEYS.find((key) => message[key]);
	const media = mediaKey ? message[mediaKey] : null;
	const reply = replyOf(message);
	const context = message.context;
	const location = message.location;
	const order = message.order;

	let text: string | null = null;
	if (message.text) text = message.text.body ?? null;
	else if (media && media.caption) text = media.caption;
	else if (reply) text = reply.title;
	else if (order) text = order.text ?? null;
	else if (message.system) text = message.system.body ?? null;

	return {
		kind: 'message',
		event: 'message.' + type,
		source,
		id: message.id ?? null,
		timestamp: toIso(message.timestamp),
		timestampUnix: toUnix(message.timestamp),
		wabaId: number.wabaId,
		phoneNumberId: number.phoneNumberId,
		displayPhoneNumber: number.displayPhoneNumber,
		messageId: message.id ?? null,
		from: message.from ?? contact.wa_id ?? null,
		fromUserId: message.from_user_id ?? contact.user_id ?? null,
		contactName: (contact.profile && contact.profile.name) || null,
		type,
		text,
		media: media
			? {
					id: media.id ?? null,
					mimeType: media.mime_type ?? null,
					sha256: media.sha256 ?? null,
					caption: media.caption ?? null,
					filename: media.filename ?? null,
					voice: type === 'audio' ? mediaKey === 'voice' || media.voice === true : null,
					animated: type === 'sticker' ? (media.animated ?? null) : null,
					url: media.url ?? null,
				}
			: null,
		location: location
			? {
					latitude: location.latitude ?? null,
					longitude: location.longitude ?? null,
					name: location.name ?? null,
					address: location.address ?? null,
					url: location.url ?? null,
				}
			: null,
		contacts: message.contacts ?? null,
		reply,
		reaction: message.reaction
			? { messageId: message.reaction.message_id ?? null, emoji: message.reaction.emoji || null }
			: null,
		order: order
			? {
					catalogId: order.catalog_id ?? null,
					text: order.text ?? null,
					items: (order.product_items || []).map((p) => ({
						productRetailerId: p.product_retailer_id ?? null,
						quantity: p.quantity ?? null,
						itemPrice: p.item_price ?? null,
						currency: p.currency ?? null,
					})),
				}
			: null,
		context: context
			? {
					messageId: context.id ?? null,
					from: context.from ?? null,
					forwarded: context.forwarded === true,
					frequentlyForwarded: context.frequently_forwarded === true,
				}
			: null,
		referral: message.referral ?? null,
		errors: (message.errors || []).map((e: WhatsAppError) => ({
			code: e.code ?? null,
			title: e.title ?? null,
			message: e.message ?? e.title ?? null,
			details: (e.error_data && e.error_data.details) ?? e.details ?? null,
		})),
	};
}

function flattenStatus(status: WhatsAppStatus, number: NumberFields, source: Source) {
	const conversation = status.conversation;
	const pricing = status.pricing;
	const value = status.status || 'unknown';
	return {
		kind: 'status',
		event: 'status.' + String(value).toLowerCase(),
		source,
		id: status.id ?? null,
		timestamp: toIso(status.timestamp),
		timestampUnix: toUnix(status.timestamp),
		wabaId: number.wabaId,
		phoneNumberId: number.phoneNumberId,
		displayPhoneNumber: number.displayPhoneNumber,
		status: value,
		messageId: status.id ?? null,
		recipientId: status.recipient_id ?? null,
		recipientUserId: status.recipient_user_id ?? null,
		conversation: conversation
			? {
					id: conversation.id ?? null,
					origin: (conversation.origin && conversation.origin.type) ?? null,
					expiresAt: toIso(conversation.expiration_timestamp),
				}
			: null,
		pricing: pricing
			? {
					billable: typeof pricing.billable === 'boolean' ? pricing.billable : null,
					model: pricing.pricing_model ?? null,
					category: pricing.category ?? null,
					type: pricing.type ?? null,
				}
			: null,
		errors: (status.errors || []).map((e: WhatsAppError) => ({
			code: e.code ?? null,
			title: e.title ?? null,
			message: e.message ?? e.title ?? null,
			details: (e.error_data && e.error_data.details) ?? e.details ?? null,
		})),
	};
}

function flattenItems(items: InputItem[]): Array<{ json: Record<string, unknown> }> {
	const out: Array<{ json: Record<string, unknown> }> = [];
	for (const item of items) {
		const body = item.json.body || item.json;
		if (body.object === 'whatsapp_business_account' || Array.isArray(body.entry) || body.field) {
			// Cloud API: entry[].changes[].value.{messages,statuses}; the dashboard's test button sends
			// a bare change ({field, value}).
			const entries: Entry[] = Array.isArray(body.entry)
				? body.entry
				: [{ id: null, changes: [body as CloudChange] }];
			for (const entry of entries) {
				for (const change of entry.changes || []) {
					if (change.field !== 'messages') continue;
					const value = change.value || {};
					const metadata = value.metadata || {};
					const number: NumberFields = {
						wabaId: entry.id ?? null,
						phoneNumberId: metadata.phone_number_id ?? null,
						displayPhoneNumber: metadata.display_phone_number ?? null,
					};
					const contacts = value.contacts || [];
					for (const message of value.messages || [])
						out.push({ json: flattenMessage(message, contacts, number, 'cloud') });
					for (const status of value.statuses || [])
						out.push({ json: flattenStatus(status, number, 'cloud') });
				}
			}
		} else {
			// On-Premise API: top-level messages[] / statuses[]
			const number = { wabaId: null, phoneNumberId: null, displayPhoneNumber: null };
			const contacts = body.contacts || [];
			for (const message of body.messages || [])
				out.push({ json: flattenMessage(message, contacts, number, 'on_premise') });
			for (const status of body.statuses || [])
				out.push({ json: flattenStatus(status, number, 'on_premise') });
		}
	}
	return out;
}
// ---- end of the Code node ---- (below: for checking this file under plain Node)
export { flattenItems };
