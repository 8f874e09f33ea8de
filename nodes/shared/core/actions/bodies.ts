/**
 * Request bodies of the 360dialog node, as pure functions of their inputs. Cloud API bodies are
 * Meta's (`messaging_product`, `recipient` for business-scoped user ids); On-Premise bodies are the
 * legacy API's (no `messaging_product`, top-level `preview_url`, template `namespace`). Anything a
 * flavour cannot do raises ActionInputError with a sentence that says so.
 */
import { MEDIA_MESSAGE_TYPES, type MediaMessageType } from '../catalog';

export type ApiFlavour = 'cloud' | 'onPremise';
type Json = Record<string, unknown>;

/** Invalid input for a request: the message says what is wrong, the hint how to fix it. */
export class ActionInputError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'ActionInputError';
	}
}

export const MESSAGES_PATH: Record<ApiFlavour, string> = {
	cloud: '/messages',
	onPremise: '/v1/messages',
};

export const MEDIA_PATH: Record<ApiFlavour, string> = { cloud: '/media', onPremise: '/v1/media' };

/** Where a media id lives, for Delete (Cloud `/{id}`, On-Premise `/v1/media/{id}`). */
export const mediaItemPath = (flavour: ApiFlavour, id: string): string =>
	flavour === 'cloud' ? `/${encodeURIComponent(id)}` : `/v1/media/${encodeURIComponent(id)}`;

export const TEMPLATES_PATH = '/v1/configs/templates';

export type RecipientType = 'auto' | 'phone' | 'userId';

export interface Addressing {
	/** A phone number (digits, `+` and spaces allowed) or a business-scoped user id. */
	recipient: string;
	recipientType: RecipientType;
	/** The message this one replies to (`context.message_id`). */
	replyTo?: string;
	/** Returned on this message's status webhooks (Cloud API only). */
	bizOpaqueCallbackData?: string;
}

/** A business-scoped user id looks like `US.13491208655302741918`: a country code, a dot, an id. */
const USER_ID = /^[A-Z]{2}\.[A-Za-z0-9]+$/;

const isUserId = (recipient: string, type: RecipientType): boolean =>
	type === 'userId' || (type === 'auto' && USER_ID.test(recipient));

/** `+49 170 1234-567` → `491701234567`: WhatsApp ids are digits only. */
const phoneDigits = (value: string): string => value.replace(/[\s+\-().]/g, '');

function recipientFields(flavour: ApiFlavour, addressing: Addressing): Json {
	const recipient = String(addressing.recipient ?? '').trim();
	if (recipient === '') {
		throw new ActionInputError(
			'No recipient: the Recipient field is empty',
			'Map the phone number or business-scoped user id, e.g. {{ $json.from ?? $json.fromUserId }} after a 360dialog Trigger.',
		);
	}
	if (isUserId(recipient, addressing.recipientType)) {
		if (flavour === 'onPremise') {
			throw new ActionInputError(
				`The On-Premise API cannot send to a business-scoped user id (${recipient})`,
				'Send to the phone number, or use a Cloud API number.',
			);
		}
		return { recipient };
	}
	const digits = phoneDigits(recipient);
	if (!/^\d{5,20}$/.test(digits)) {
		throw new ActionInputError(
			`The recipient "${recipient}" is neither a phone number nor a business-scoped user id`,
			'Use the international number with country code (e.g. 4915112345678), or a user id such as US.13491208655302741918.',
		);
	}
	return { to: digits };
}

/** The fields every message send shares: recipient, reply context, callback data. */
function messageBody(
	flavour: ApiFlavour,
	addressing: Addressing,
	type: string,
	content: unknown,
	topLevel: Json = {},
): Json {
	const body: Json =
		flavour === 'cloud'
			? { messaging_product: 'whatsapp', recipient_type: 'individual' }
			: { recipient_type: 'individual' };
	Object.assign(body, recipientFields(flavour, addressing), { type, [type]: content }, topLevel);
	const replyTo = addressing.replyTo?.trim();
	if (replyTo) body.context = { message_id: replyTo };
	const callback = addressing.bizOpaqueCallbackData;
	if (callback) {
		if (flavour === 'onPremise')
			throw new ActionInputError('The On-Premise API does not support Callback Data');
		if (callback.length > 512)
			throw new ActionInputError('Callback Data is longer than 512 characters');
		body.biz_opaque_callback_data = callback;
	}
	return body;
}

const optional = (entries: Json): Json =>
	Object.fromEntries(
		Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''),
	);

export function textMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	text: { body: string; previewUrl?: boolean },
): Json {
	if (!text.body) throw new ActionInputError('The text is empty');
	if (text.body.length > 4096)
		throw new ActionInputError(`The text has ${text.body.length} characters; WhatsApp allows 4096`);
	if (flavour === 'onPremise')
		return messageBody(
			flavour,
			addressing,
			'text',
			{ body: text.body },
			text.previewUrl ? { preview_url: true } : {},
		);
	return messageBody(
		flavour,
		addressing,
		'text',
		optional({ body: text.body, preview_url: text.previewUrl || undefined }),
	);
}

export interface MediaInput {
	type: MediaMessageType;
	/** One of link or id. */
	link?: string;
	id?: string;
	caption?: string;
	filename?: string;
}

export function mediaMessage(flavour: ApiFlavour, addressing: Addressing, media: MediaInput): Json {
	if (!(MEDIA_MESSAGE_TYPES as readonly string[]).includes(media.type))
		throw new ActionInputError(
			`Unknown media type "${media.type}"`,
			`Use one of ${MEDIA_MESSAGE_TYPES.join(', ')}.`,
		);
	if (!media.link && !media.id)
		throw new ActionInputError('No media: give a link, a media id or a binary property');
	if (media.caption && (media.type === 'audio' || media.type === 'sticker'))
		throw new ActionInputError(
			`WhatsApp shows no caption on ${media.type} messages: leave Caption empty`,
		);
	const content = optional({
		...(media.id ? { id: media.id } : { link: media.link }),
		caption: media.caption,
		filename: media.type === 'document' ? media.filename : undefined,
	});
	return messageBody(flavour, addressing, media.type, content);
}

export interface TemplateInput {
	name: string;
	language: string;
	/** On-Premise only: the WABA's template namespace. */
	namespace?: string | null;
	components: Json[];
}

export function templateMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	template: TemplateInput,
): Json {
	if (!template.name) throw new ActionInputError('No template chosen');
	if (!template.language)
		throw new ActionInputError(`No language chosen for template "${template.name}"`);
	const components = template.components.length > 0 ? { components: template.components } : {};
	if (flavour === 'cloud') {
		return messageBody(flavour, addressing, 'template', {
			name: template.name,
			language: { code: template.language },
			...components,
		});
	}
	if (!template.namespace)
		throw new ActionInputError(
			`The On-Premise API needs the namespace of template "${template.name}"`,
			'Pick the template from the list, or set Namespace under Options.',
		);
	return messageBody(flavour, addressing, 'template', {
		namespace: template.namespace,
		name: template.name,
		language: { policy: 'deterministic', code: template.language },
		...components,
	});
}

/** The optional header and footer of an interactive message (text headers). */
export interface InteractiveFrame {
	body: string;
	header?: string;
	footer?: string;
}

function frame(input: InteractiveFrame): Json {
	if (!input.body) throw new ActionInputError('The interactive message needs a body text');
	return optional({
		header: input.header ? { type: 'text', text: input.header } : undefined,
		body: { text: input.body },
		footer: input.footer ? { text: input.footer } : undefined,
	});
}

function checkTitle(what: string, title: string, max: number): void {
	if (!title) throw new ActionInputError(`${what} has no title`);
	if (title.length > max)
		throw new ActionInputError(`${what} "${title}" is longer than ${max} characters`);
}

function checkUniqueIds(what: string, ids: string[]): void {
	const seen = new Set<string>();
	for (const id of ids) {
		if (!id) throw new ActionInputError(`Every ${what} needs an ID`);
		if (seen.has(id))
			throw new ActionInputError(`Two ${what}s have the ID "${id}": IDs must differ`);
		seen.add(id);
	}
}

export function buttonsInteractive(
	input: InteractiveFrame & { buttons: Array<{ id: string; title: string }> },
): Json {
	if (input.buttons.length === 0 || input.buttons.length > 3)
		throw new ActionInputError(`Reply buttons: give 1 to 3 buttons, not ${input.buttons.length}`);
	input.buttons.forEach((button, index) => checkTitle(`Button ${index + 1}`, button.title, 20));
	checkUniqueIds(
		'button',
		input.buttons.map((button) => button.id),
	);
	return {
		type: 'button',
		...frame(input),
		action: {
			buttons: input.buttons.map((button) => ({
				type: 'reply',
				reply: { id: button.id, title: button.title },
			})),
		},
	};
}

export interface ListSection {
	title?: string;
	rows: Array<{ id: string; title: string; description?: string }>;
}

export function listInteractive(
	input: InteractiveFrame & { buttonText: string; sections: ListSection[] },
): Json {
	checkTitle('The list button', input.buttonText, 20);
	const rows = input.sections.flatMap((section) => section.rows);
	if (rows.length === 0 || rows.length > 10)
		throw new ActionInputError(`A list holds 1 to 10 rows in all, not ${rows.length}`);
	if (input.sections.length > 1 && input.sections.some((section) => !section.title))
		throw new ActionInputError('A list with several sections needs a title on each section');
	rows.forEach((row) => checkTitle('List row', row.title, 24));
	checkUniqueIds(
		'list row',
		rows.map((row) => row.id),
	);
	return {
		type: 'list',
		...frame(input),
		action: {
			button: input.buttonText,
			sections: input.sections.map((section) =>
				optional({
					title: section.title,
					rows: section.rows.map((row) =>
						optional({ id: row.id, title: row.title, description: row.description }),
					),
				}),
			),
		},
	};
}

export function ctaUrlInteractive(
	input: InteractiveFrame & { displayText: string; url: string },
): Json {
	checkTitle('The link button', input.displayText, 20);
	if (!/^https?:\/\//i.test(input.url))
		throw new ActionInputError(`The link "${input.url}" must start with https:// or http://`);
	return {
		type: 'cta_url',
		...frame(input),
		action: { name: 'cta_url', parameters: { display_text: input.displayText, url: input.url } },
	};
}

export function flowInteractive(
	input: InteractiveFrame & {
		flowId: string;
		flowCta: string;
		flowToken?: string;
		screen?: string;
		data?: Json;
	},
): Json {
	if (!input.flowId) throw new ActionInputError('No Flow ID');
	checkTitle('The flow button', input.flowCta, 30);
	const parameters: Json = optional({
		flow_message_version: '3',
		flow_id: input.flowId,
		flow_cta: input.flowCta,
		flow_token: input.flowToken,
		flow_action: 'navigate',
	});
	if (input.screen)
		parameters.flow_action_payload = optional({ screen: input.screen, data: input.data });
	return { type: 'flow', ...frame(input), action: { name: 'flow', parameters } };
}

export function interactiveMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	interactive: Json,
): Json {
	if (flavour === 'onPremise' && interactive.type !== 'button' && interactive.type !== 'list')
		throw new ActionInputError(
			`The On-Premise API cannot send ${interactive.type === 'flow' ? 'Flows' : 'call-to-action URL buttons'}`,
			'Use reply buttons or a list, or a Cloud API number.',
		);
	return messageBody(flavour, addressing, 'interactive', interactive);
}

export function reactionMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	reaction: { messageId: string; emoji: string },
): Json {
	if (!reaction.messageId)
		throw new ActionInputError('No message to react to: Message ID is empty');
	// The reaction names its message itself; a reply context would be rejected.
	return messageBody(flavour, { ...addressing, replyTo: undefined }, 'reaction', {
		message_id: reaction.messageId,
		emoji: reaction.emoji,
	});
}

export function locationMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	location: { latitude: number; longitude: number; name?: string; address?: string },
): Json {
	const { latitude, longitude } = location;
	if (!Number.isFinite(latitude) || Math.abs(latitude) > 90)
		throw new ActionInputError(`Latitude ${latitude} is not between -90 and 90`);
	if (!Number.isFinite(longitude) || Math.abs(longitude) > 180)
		throw new ActionInputError(`Longitude ${longitude} is not between -180 and 180`);
	return messageBody(
		flavour,
		addressing,
		'location',
		optional({ latitude, longitude, name: location.name, address: location.address }),
	);
}

export interface ContactCard {
	name: string;
	phone?: string;
	email?: string;
	company?: string;
}

export function contactsMessage(
	flavour: ApiFlavour,
	addressing: Addressing,
	cards: ContactCard[],
): Json {
	if (cards.length === 0) throw new ActionInputError('Add at least one contact card');
	const contacts = cards.map((card, index) => {
		if (!card.name) throw new ActionInputError(`Contact ${index + 1} has no name`);
		const parts = card.name.trim().split(/\s+/);
		return optional({
			name: optional({
				formatted_name: card.name,
				first_name: parts[0],
				last_name: parts.length > 1 ? parts.slice(1).join(' ') : undefined,
			}),
			phones: card.phone ? [{ phone: card.phone, type: 'CELL' }] : undefined,
			emails: card.email ? [{ email: card.email, type: 'WORK' }] : undefined,
			org: card.company ? { company: card.company } : undefined,
		});
	});
	return messageBody(flavour, addressing, 'contacts', contacts);
}

/** Mark as Read: Cloud `POST /messages` (with the optional typing indicator), On-Premise `PUT /v1/messages/{id}`. */
export function markAsRead(
	flavour: ApiFlavour,
	messageId: string,
	typingIndicator: boolean,
): { method: 'POST' | 'PUT'; path: string; body: Json } {
	if (!messageId) throw new ActionInputError('No message to mark as read: Message ID is empty');
	if (flavour === 'onPremise') {
		if (typingIndicator)
			throw new ActionInputError(
				'The On-Premise API has no typing indicator',
				'Turn Typing Indicator off.',
			);
		return {
			method: 'PUT',
			path: `/v1/messages/${encodeURIComponent(messageId)}`,
			body: { status: 'read' },
		};
	}
	const body: Json = { messaging_product: 'whatsapp', status: 'read', message_id: messageId };
	if (typingIndicator) body.typing_indicator = { type: 'text' };
	return { method: 'POST', path: MESSAGES_PATH.cloud, body };
}

/** A multipart/form-data body with text fields and one file, as Cloud's `/media` upload takes it. */
export function multipartBody(
	boundary: string,
	fields: Record<string, string>,
	file: { field: string; fileName: string; mimeType: string; data: Buffer },
): { body: Buffer; contentType: string } {
	const quote = (value: string) => value.replace(/["\r\n]/g, '_');
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
			),
		);
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`,
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Cloud `/media` upload: `messaging_product`, `type` and the file. */
export function mediaUpload(
	flavour: ApiFlavour,
	boundary: string,
	file: { fileName: string; mimeType: string; data: Buffer },
): { path: string; body: Buffer; contentType: string } {
	if (file.data.length === 0) throw new ActionInputError('The file to upload is empty');
	if (flavour === 'onPremise')
		return { path: MEDIA_PATH.onPremise, body: file.data, contentType: file.mimeType };
	const multipart = multipartBody(
		boundary,
		{ messaging_product: 'whatsapp', type: file.mimeType },
		{ field: 'file', ...file },
	);
	return { path: MEDIA_PATH.cloud, ...multipart };
}

/** The id of an uploaded file: Cloud `{id}`, On-Premise `{media: [{id}]}`. */
export function uploadedMediaId(response: unknown): string | null {
	const body = (response ?? {}) as { id?: unknown; media?: Array<{ id?: unknown }> };
	if (typeof body.id === 'string') return body.id;
	const first = Array.isArray(body.media) ? body.media[0] : undefined;
	return typeof first?.id === 'string' ? first.id : null;
}

/** The id and status of a sent message: `{messages: [{id, message_status?}]}` on both APIs. */
export function sentMessage(response: unknown): {
	messageId: string | null;
	messageStatus: string | null;
} {
	const messages = (
		response as { messages?: Array<{ id?: unknown; message_status?: unknown }> } | null
	)?.messages;
	const first = Array.isArray(messages) ? messages[0] : undefined;
	return {
		messageId: typeof first?.id === 'string' ? first.id : null,
		messageStatus: typeof first?.message_status === 'string' ? first.message_status : null,
	};
}
