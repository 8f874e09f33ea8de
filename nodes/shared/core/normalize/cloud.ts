import { CHANGE_FIELDS, qualityDropped, type ChangeField } from '../catalog';
import type { NormalizedKind } from '../schemas/normalized';
import {
	baseItem,
	errorDetails,
	errorItem,
	findContact,
	messageItem,
	statusEvent,
	type BusinessNumber,
} from './items';
import { NO_ORIGIN, unknownItem, type Emit, type Sink } from './emit';
import { groupItem } from './groups';
import {
	describe,
	instant,
	isObject,
	num,
	obj,
	objects,
	str,
	type Instant,
	type JsonObject,
} from './read';
import { userActionItems } from './userActions';

/** Where a change came from: the business number and the entry's time, shared by its items. */
interface ChangeOrigin extends BusinessNumber {
	time: Instant;
}

const CHANGE_FIELD_NAMES = new Set<string>(Object.keys(CHANGE_FIELDS));

/** Cloud API body: `{object, entry[]}`, or a bare `{field, value}` change. */
export function normalizeCloud(payload: JsonObject, out: Sink, root = '$'): void {
	if (!('entry' in payload) && typeof payload.field === 'string') {
		normalizeChange(payload, { wabaId: null, time: instant(undefined) }, () => root, out);
		return;
	}
	const entries = objects(out, payload, 'entry', () => root);
	out.forEach(
		entries,
		() => `${root}.entry`,
		(entry, e) => {
			const entryPath = () => `${root}.entry[${e}]`;
			const envelope = { wabaId: str(entry.id), time: instant(entry.time) };
			const changes = objects(out, entry, 'changes', entryPath, {
				...NO_ORIGIN,
				wabaId: envelope.wabaId,
			});
			out.forEach(
				changes,
				() => `${entryPath()}.changes`,
				(change, c) => normalizeChange(change, envelope, () => `${entryPath()}.changes[${c}]`, out),
			);
		},
	);
}

function normalizeChange(
	change: JsonObject,
	envelope: { wabaId: string | null; time: Instant },
	path: () => string,
	out: Sink,
): void {
	const field = str(change.field) ?? 'unknown';
	const value = change.value;
	if (!isObject(value)) {
		out.invalid(
			change,
			() => `${path()}.value`,
			() => `\`value\` must be an object, got ${describe(value)}`,
			{ ...NO_ORIGIN, wabaId: envelope.wabaId },
		);
		return;
	}
	const valuePath = () => `${path()}.value`;
	const metadata = obj(value.metadata);
	const origin: ChangeOrigin = {
		wabaId: envelope.wabaId,
		phoneNumberId: metadata && str(metadata.phone_number_id),
		displayPhoneNumber:
			(metadata && str(metadata.display_phone_number)) ?? str(value.display_phone_number),
		time: envelope.time,
	};
	const { emit } = out;
	const listOf = (key: string) => objects(out, value, key, valuePath, origin);
	const each = (list: JsonObject[], key: string, fn: (element: JsonObject) => void) =>
		out.forEach(list, () => `${valuePath()}.${key}`, fn);

	const errors = listOf('errors');
	each(errors, 'errors', (error) =>
		emit(errorItem('cloud', origin, origin.time, error, field), error),
	);

	if (field === 'messages') {
		const messages = listOf('messages');
		const statuses = listOf('statuses');
		// Read even when there are no messages, so that a bad contact is reported all the same.
		const contacts = listOf('contacts');
		if (messages.length > 0) {
			each(messages, 'messages', (message) =>
				emit(
					messageItem('message', 'cloud', origin, message, findContact(contacts, message)),
					message,
				),
			);
		}
		each(statuses, 'statuses', (status) => {
			// Most status bodies have no contacts[]: skip the lookup (statuses are most of the traffic).
			const contact = contacts.length > 0 ? findContact(contacts, recipientOf(status)) : null;
			statusEvent(status, 'cloud', origin, emit, contact);
		});
		const actions = userActionItems(value, valuePath, origin, out);
		if (messages.length > 0 || statuses.length > 0 || errors.length > 0 || actions > 0) return;
		// Lists that held only bad elements are reported already: no generic item on top of them.
		const lists: Array<[unknown, JsonObject[]]> = [
			[value.messages, messages],
			[value.statuses, statuses],
			[value.errors, errors],
		];
		if (lists.some(([given, kept]) => salvaged(given, kept))) return;
	}
	otherChange(field, value, valuePath, origin, out);
}

/** Whether `objects()` reported part of this value as invalid. */
const salvaged = (value: unknown, kept: JsonObject[]): boolean =>
	value !== undefined && value !== null && (!Array.isArray(value) || value.length > kept.length);

/** A status's recipient in the shape findContact() matches contacts on. */
const recipientOf = (status: JsonObject) => ({
	from: status.recipient_id,
	from_user_id: status.recipient_user_id,
});

/** A non-message change: one item, or one per element of the list the catalog names. */
function otherChange(
	field: string,
	value: JsonObject,
	valuePath: () => string,
	origin: ChangeOrigin,
	out: Sink,
): void {
	const { emit } = out;
	if (!CHANGE_FIELD_NAMES.has(field)) {
		emit(
			unknownItem('cloud', origin, origin.time, { field, value, problem: null, path: null }),
			value,
		);
		return;
	}
	const spec = CHANGE_FIELDS[field as ChangeField];
	if ('split' in spec) {
		const elements = objects(out, value, spec.split, valuePath, origin);
		// Calls carry their status updates in `statuses` rather than `calls`.
		const statuses = field === 'calls' ? objects(out, value, 'statuses', valuePath, origin) : [];
		if (elements.length > 0 || statuses.length > 0) {
			const contacts = objects(out, value, 'contacts', valuePath, origin);
			const split = (element: JsonObject) => splitItem(field, element, contacts, origin, emit);
			out.forEach(elements, () => `${valuePath()}.${spec.split}`, split);
			out.forEach(statuses, () => `${valuePath()}.statuses`, split);
			return;
		}
	}
	changeItem(field, value, origin, emit);
}

function splitItem(
	field: string,
	element: JsonObject,
	contacts: JsonObject[],
	origin: ChangeOrigin,
	emit: Emit,
): void {
	switch (field) {
		case 'group_lifecycle_update':
		case 'group_participants_update':
		case 'group_settings_update':
		case 'group_status_update':
			return emit(groupItem(CHANGE_FIELDS[field].event, element, origin, origin.time), element);
		case 'smb_message_echoes':
			// The customer of an echo is `to`: that is whose contact entry applies.
			return emit(
				messageItem('echo', 'cloud', origin, element, findContact(contacts, { from: element.to })),
				element,
			);
		case 'calls': {
			const isStatus = element.event === undefined && element.status !== undefined;
			const callEvent = isStatus ? str(element.status) : str(element.event);
			return emit(
				Object.assign(
					baseItem(
						'call',
						`call.${(callEvent ?? 'unknown').toLowerCase()}`,
						'cloud',
						origin,
						instant(element.timestamp),
					),
					{
						id: str(element.id),
						callId: str(element.id),
						callEvent,
						callStatus: str(element.status),
						from: str(element.from),
						to: str(element.to) ?? str(element.recipient_id),
						direction: str(element.direction),
						durationSeconds: num(element.duration),
						value: element,
					},
				),
				element,
			);
		}
		case 'user_preferences': {
			const preference = str(element.value);
			return emit(
				Object.assign(
					baseItem(
						'user_preference',
						`user_preference.${(preference ?? 'unknown').toLowerCase()}`,
						'cloud',
						origin,
						nonEmpty(instant(element.timestamp)) ?? origin.time,
					),
					{
						waId: str(element.wa_id),
						userId: str(element.user_id),
						category: str(element.category),
						preference,
						detail: str(element.detail),
						value: element,
					},
				),
				element,
			);
		}
		default: {
			// smb_app_state_sync
			const contact = obj(element.contact);
			const metadata = obj(element.metadata);
			return emit(
				Object.assign(
					baseItem(
						'app_state_sync',
						'app_state_sync',
						'cloud',
						origin,
						nonEmpty(instant(metadata?.timestamp)) ?? origin.time,
					),
					{
						syncType: str(element.type),
						action: str(element.action),
						contactName: contact && (str(contact.full_name) ?? str(contact.first_name)),
						contactPhoneNumber: contact && str(contact.phone_number),
						value: element,
					},
				),
				element,
			);
		}
	}
}

const nonEmpty = (time: Instant): Instant | null => (time.timestamp === null ? null : time);

function changeItem(field: string, value: JsonObject, origin: ChangeOrigin, emit: Emit): void {
	const spec = CHANGE_FIELDS[field as ChangeField];
	const base = <K extends NormalizedKind>(kind: K, event: string) =>
		baseItem(kind, event, 'cloud', origin, origin.time);
	switch (spec.kind) {
		case 'template_status':
		case 'template_quality':
		case 'template_category':
		case 'template_components': {
			const previousQualityRating = str(value.previous_quality_score);
			const qualityRating = str(value.new_quality_score);
			return emit(
				Object.assign(base(spec.kind, spec.event), {
					templateId: str(value.message_template_id),
					templateName: str(value.message_template_name),
					templateLanguage: str(value.message_template_language),
					templateStatus: spec.kind === 'template_status' ? str(value.event) : null,
					reason: str(value.reason),
					category: str(value.message_template_category) ?? str(value.new_category),
					previousCategory: str(value.previous_category),
					previousQualityRating,
					qualityRating,
					qualityDropped:
						spec.kind === 'template_quality'
							? qualityDropped(previousQualityRating, qualityRating, null)
							: null,
					value,
				}),
				value,
			);
		}
		case 'account_update': {
			const violation = obj(value.violation_info);
			const ban = obj(value.ban_info);
			const restrictions = Array.isArray(value.restriction_info)
				? value.restriction_info.filter(isObject)
				: [];
			return emit(
				Object.assign(base('account_update', spec.event), {
					accountEvent: str(value.event),
					phoneNumber: str(value.phone_number),
					violationType: violation && str(violation.violation_type),
					banState: ban && str(ban.waba_ban_state),
					banDate: ban && str(ban.waba_ban_date),
					restrictions: restrictions.map((restriction) => ({
						type: str(restriction.restriction_type),
						expiresAt: instant(restriction.expiration).timestamp,
					})),
					value,
				}),
				value,
			);
		}
		case 'account_review':
			return emit(
				Object.assign(base('account_review', spec.event), { decision: str(value.decision), value }),
				value,
			);
		case 'account_alert': {
			const alert = obj(value.alert_info);
			return emit(
				Object.assign(base('account_alert', spec.event), {
					alertType: alert && str(alert.alert_type),
					alertSeverity: alert && str(alert.alert_severity),
					alertStatus: alert && str(alert.alert_status),
					alertDescription: alert && str(alert.alert_description),
					entityType: str(value.entity_type),
					entityId: str(value.entity_id),
					value,
				}),
				value,
			);
		}
		case 'phone_number_quality': {
			const qualityEvent = str(value.event);
			const qualityRating = str(value.quality_rating) ?? str(value.current_quality_rating);
			return emit(
				Object.assign(base('phone_number_quality', spec.event), {
					qualityEvent,
					currentLimit: str(value.current_limit) ?? str(value.new_limit),
					previousLimit: str(value.old_limit),
					qualityRating,
					qualityDropped: qualityDropped(
						str(value.previous_quality_rating),
						qualityRating,
						qualityEvent,
					),
					value,
				}),
				value,
			);
		}
		case 'phone_number_name':
			return emit(
				Object.assign(base('phone_number_name', spec.event), {
					decision: str(value.decision),
					requestedName: str(value.requested_verified_name),
					rejectionReason: str(value.rejection_reason),
					value,
				}),
				value,
			);
		case 'business_capability':
			return emit(
				Object.assign(base('business_capability', spec.event), {
					maxDailyConversations:
						num(value.max_daily_conversations_per_business) ??
						num(value.max_daily_conversation_per_phone),
					maxPhoneNumbersPerWaba:
						num(value.max_phone_numbers_per_waba) ?? num(value.max_phone_numbers_per_business),
					value,
				}),
				value,
			);
		case 'security':
			return emit(
				Object.assign(base('security', spec.event), {
					securityEvent: str(value.event),
					requester: str(value.requester),
					value,
				}),
				value,
			);
		case 'history': {
			const chunks = Array.isArray(value.history) ? value.history.filter(isObject) : [];
			const meta = chunks.length > 0 ? obj(chunks[0].metadata) : null;
			const threads = chunks.flatMap((chunk) =>
				Array.isArray(chunk.threads) ? chunk.threads.filter(isObject) : [],
			);
			const threadMessages = threads.reduce(
				(sum, thread) => sum + (Array.isArray(thread.messages) ? thread.messages.length : 0),
				0,
			);
			const directMessages = Array.isArray(value.messages) ? value.messages.length : 0;
			return emit(
				Object.assign(base('history', spec.event), {
					phase: meta && num(meta.phase),
					chunkOrder: meta && num(meta.chunk_order),
					progress: meta && num(meta.progress),
					threadCount: threads.length,
					messageCount: threadMessages + directMessages,
					errors: chunks.flatMap((chunk) => errorDetails(chunk.errors)),
					value,
				}),
				value,
			);
		}
		case 'echo':
		case 'app_state_sync':
		case 'user_preference':
		case 'call':
		case 'group':
		case 'change':
			// Split kinds with an empty list, and fields without a dedicated kind: one generic item.
			return emit(Object.assign(base('change', `change.${field}`), { field, value }), value);
	}
}
