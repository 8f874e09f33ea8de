import { CHANGE_FIELDS, qualityDropped, type ChangeField } from '../catalog';
import { errorDetail, errorDetails, findContact, messageFields } from './message';
import type { Emit } from './emit';
import { first, instant, isObject, num, obj, objects, requiredObject, str, type Instant, type JsonObject } from './read';

/** Where a change came from: the envelope data every item of the change shares. */
interface Origin {
	wabaId: string | null;
	phoneNumberId: string | null;
	displayPhoneNumber: string | null;
	time: Instant;
}

const CHANGE_FIELD_NAMES = new Set<string>(Object.keys(CHANGE_FIELDS));

/** Cloud API body: `{object, entry[]}`, or a bare `{field, value}` change. */
export function normalizeCloud(payload: JsonObject, emit: Emit): void {
	if (payload.object === undefined && typeof payload.field === 'string') {
		normalizeChange(payload, { wabaId: null, time: instant(undefined) }, () => '$', emit);
		return;
	}
	const entries = objects(payload, 'entry', () => '$');
	for (let e = 0; e < entries.length; e++) {
		const entry = entries[e];
		const entryPath = () => `$.entry[${e}]`;
		const changes = objects(entry, 'changes', entryPath);
		const envelope = { wabaId: str(entry.id), time: instant(entry.time) };
		for (let c = 0; c < changes.length; c++) {
			normalizeChange(changes[c], envelope, () => `${entryPath()}.changes[${c}]`, emit);
		}
	}
}

function normalizeChange(
	change: JsonObject,
	envelope: { wabaId: string | null; time: Instant },
	path: () => string,
	emit: Emit,
): void {
	const field = str(change.field) ?? 'unknown';
	const value = requiredObject(change, 'value', path);
	const valuePath = () => `${path()}.value`;
	const metadata = obj(value.metadata);
	const origin: Origin = {
		wabaId: envelope.wabaId,
		phoneNumberId: metadata && str(metadata.phone_number_id),
		displayPhoneNumber: first(metadata && str(metadata.display_phone_number), str(value.display_phone_number)),
		time: envelope.time,
	};

	const errors = objects(value, 'errors', valuePath);
	for (const error of errors) {
		emit({ kind: 'error', event: 'error', source: 'cloud', id: null, ...at(origin, origin.time), ...errorDetail(error), field, severity: 'info' }, error);
	}

	if (field === 'messages') {
		const messages = objects(value, 'messages', valuePath);
		const statuses = objects(value, 'statuses', valuePath);
		if (messages.length > 0) {
			const contacts = objects(value, 'contacts', valuePath);
			for (const message of messages) {
				const fields = messageFields(message, findContact(contacts, message));
				emit({ kind: 'message', event: `message.${fields.type}`, source: 'cloud', id: fields.messageId, ...at(origin, instant(message.timestamp)), ...fields, severity: 'info' }, message);
			}
		}
		for (const status of statuses) statusEvent(status, 'cloud', origin, emit);
		if (messages.length > 0 || statuses.length > 0 || errors.length > 0) return;
	}
	otherChange(field, value, valuePath, origin, emit);
}

function at(origin: Origin, time: Instant) {
	return {
		...time,
		wabaId: origin.wabaId,
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
	};
}

export function statusEvent(status: JsonObject, source: 'cloud' | 'on_premise', origin: Omit<Origin, 'time'>, emit: Emit): void {
	const value = str(status.status) ?? 'unknown';
	const conversation = obj(status.conversation);
	const origins = conversation && obj(conversation.origin);
	const pricing = obj(status.pricing);
	return emit(
		{
			kind: 'status',
			event: `status.${value.toLowerCase()}`,
			source,
			id: str(status.id),
			...at({ ...origin, time: instant(undefined) }, instant(status.timestamp)),
			status: value,
			messageId: str(status.id),
			recipientId: str(status.recipient_id),
			recipientUserId: str(status.recipient_user_id),
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
			errors: errorDetails(status.errors),
			severity: 'info',
		},
		status,
	);
}

/** A non-message change: one item, or one per element of the list the catalog names. */
function otherChange(field: string, value: JsonObject, valuePath: () => string, origin: Origin, emit: Emit): void {
	if (!CHANGE_FIELD_NAMES.has(field)) {
		emit({ kind: 'unknown', event: 'unknown', source: 'cloud', id: null, ...at(origin, origin.time), field, value, problem: null, severity: 'info' }, value);
		return;
	}
	const spec = CHANGE_FIELDS[field as ChangeField];
	if ('split' in spec) {
		const elements = objects(value, spec.split, valuePath);
		// Calls carry their status updates in `statuses` rather than `calls`.
		const statuses = field === 'calls' ? objects(value, 'statuses', valuePath) : [];
		const all = [...elements, ...statuses];
		if (all.length > 0) {
			const contacts = objects(value, 'contacts', valuePath);
			for (const element of all) splitItem(field, element, contacts, origin, emit);
			return;
		}
	}
	changeItem(field, value, origin, emit);
}

function splitItem(field: string, element: JsonObject, contacts: JsonObject[], origin: Origin, emit: Emit): void {
	switch (field) {
		case 'smb_message_echoes': {
			const fields = messageFields(element, findContact(contacts, { from: element.to }));
			// An echo is sent by the business: the customer is `to`, not `from`.
			const echo = { ...fields, from: str(element.from) };
			return emit({ kind: 'echo', event: `echo.${fields.type}`, source: 'cloud', id: fields.messageId, ...at(origin, instant(element.timestamp)), ...echo, to: str(element.to), severity: 'info' }, element);
		}
		case 'calls': {
			const isStatus = element.event === undefined && element.status !== undefined;
			const callEvent = isStatus ? str(element.status) : str(element.event);
			return emit({
				kind: 'call',
				event: `call.${(callEvent ?? 'unknown').toLowerCase()}`,
				source: 'cloud',
				id: str(element.id),
				...at(origin, instant(element.timestamp)),
				callId: str(element.id),
				callEvent,
				callStatus: str(element.status),
				from: str(element.from),
				to: first(str(element.to), str(element.recipient_id)),
				direction: str(element.direction),
				durationSeconds: num(element.duration),
				value: element,
				severity: 'info',
			}, element);
		}
		case 'user_preferences': {
			const preference = str(element.value);
			return emit({
				kind: 'user_preference',
				event: `user_preference.${(preference ?? 'unknown').toLowerCase()}`,
				source: 'cloud',
				id: null,
				...at(origin, first(nonEmpty(instant(element.timestamp)), origin.time) ?? origin.time),
				waId: str(element.wa_id),
				userId: str(element.user_id),
				category: str(element.category),
				preference,
				detail: str(element.detail),
				value: element,
				severity: 'info',
			}, element);
		}
		default: {
			// smb_app_state_sync
			const contact = obj(element.contact);
			const metadata = obj(element.metadata);
			return emit({
				kind: 'app_state_sync',
				event: 'app_state_sync',
				source: 'cloud',
				id: null,
				...at(origin, first(nonEmpty(instant(metadata?.timestamp)), origin.time) ?? origin.time),
				syncType: str(element.type),
				action: str(element.action),
				contactName: contact && first(str(contact.full_name), str(contact.first_name)),
				contactPhoneNumber: contact && str(contact.phone_number),
				value: element,
				severity: 'info',
			}, element);
		}
	}
}

const nonEmpty = (time: Instant): Instant | null => (time.timestamp === null ? null : time);

function changeItem(field: string, value: JsonObject, origin: Origin, emit: Emit): void {
	const spec = CHANGE_FIELDS[field as ChangeField];
	const common = { source: 'cloud' as const, id: null, ...at(origin, origin.time), value, severity: 'info' as const };
	switch (spec.kind) {
		case 'template_status':
		case 'template_quality':
		case 'template_category':
		case 'template_components': {
			const previousQualityRating = str(value.previous_quality_score);
			const qualityRating = str(value.new_quality_score);
			return emit({
				kind: spec.kind,
				event: spec.event,
				...common,
				templateId: str(value.message_template_id),
				templateName: str(value.message_template_name),
				templateLanguage: str(value.message_template_language),
				templateStatus: spec.kind === 'template_status' ? str(value.event) : null,
				reason: str(value.reason),
				category: first(str(value.message_template_category), str(value.new_category)),
				previousCategory: str(value.previous_category),
				previousQualityRating,
				qualityRating,
				qualityDropped: spec.kind === 'template_quality' ? qualityDropped(previousQualityRating, qualityRating, null) : null,
			}, value);
		}
		case 'account_update': {
			const violation = obj(value.violation_info);
			const ban = obj(value.ban_info);
			const restrictions = Array.isArray(value.restriction_info) ? value.restriction_info.filter(isObject) : [];
			return emit({
				kind: 'account_update',
				event: spec.event,
				...common,
				accountEvent: str(value.event),
				phoneNumber: str(value.phone_number),
				violationType: violation && str(violation.violation_type),
				banState: ban && str(ban.waba_ban_state),
				banDate: ban && str(ban.waba_ban_date),
				restrictions: restrictions.map((restriction) => ({
					type: str(restriction.restriction_type),
					expiresAt: instant(restriction.expiration).timestamp,
				})),
			}, value);
		}
		case 'account_review':
			return emit({ kind: 'account_review', event: spec.event, ...common, decision: str(value.decision) }, value);
		case 'account_alert': {
			const alert = obj(value.alert_info);
			return emit({
				kind: 'account_alert',
				event: spec.event,
				...common,
				alertType: alert && str(alert.alert_type),
				alertSeverity: alert && str(alert.alert_severity),
				alertStatus: alert && str(alert.alert_status),
				alertDescription: alert && str(alert.alert_description),
				entityType: str(value.entity_type),
				entityId: str(value.entity_id),
			}, value);
		}
		case 'phone_number_quality': {
			const qualityEvent = str(value.event);
			const qualityRating = first(str(value.quality_rating), str(value.current_quality_rating));
			return emit({
				kind: 'phone_number_quality',
				event: spec.event,
				...common,
				qualityEvent,
				currentLimit: first(str(value.current_limit), str(value.new_limit)),
				previousLimit: str(value.old_limit),
				qualityRating,
				qualityDropped: qualityDropped(str(value.previous_quality_rating), qualityRating, qualityEvent),
			}, value);
		}
		case 'phone_number_name':
			return emit({
				kind: 'phone_number_name',
				event: spec.event,
				...common,
				decision: str(value.decision),
				requestedName: str(value.requested_verified_name),
				rejectionReason: str(value.rejection_reason),
			}, value);
		case 'business_capability':
			return emit({
				kind: 'business_capability',
				event: spec.event,
				...common,
				maxDailyConversations: first(num(value.max_daily_conversations_per_business), num(value.max_daily_conversation_per_phone)),
				maxPhoneNumbersPerWaba: first(num(value.max_phone_numbers_per_waba), num(value.max_phone_numbers_per_business)),
			}, value);
		case 'security':
			return emit({ kind: 'security', event: spec.event, ...common, securityEvent: str(value.event), requester: str(value.requester) }, value);
		case 'history': {
			const chunks = Array.isArray(value.history) ? value.history.filter(isObject) : [];
			const meta = chunks.length > 0 ? obj(chunks[0].metadata) : null;
			const threads = chunks.flatMap((chunk) => (Array.isArray(chunk.threads) ? chunk.threads.filter(isObject) : []));
			const threadMessages = threads.reduce((sum, thread) => sum + (Array.isArray(thread.messages) ? thread.messages.length : 0), 0);
			const directMessages = Array.isArray(value.messages) ? value.messages.length : 0;
			return emit({
				kind: 'history',
				event: spec.event,
				...common,
				phase: meta && num(meta.phase),
				chunkOrder: meta && num(meta.chunk_order),
				progress: meta && num(meta.progress),
				threadCount: threads.length,
				messageCount: threadMessages + directMessages,
				errors: chunks.flatMap((chunk) => errorDetails(chunk.errors)),
			}, value);
		}
		case 'echo':
		case 'app_state_sync':
		case 'user_preference':
		case 'call':
		case 'change':
			// Split kinds with an empty list, and fields without a dedicated kind: one generic item.
			return emit({ kind: 'change', event: `change.${field}`, ...common, field }, value);
	}
}
