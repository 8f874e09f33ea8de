import { statusEvent } from './cloud';
import type { Emit } from './emit';
import { errorDetail, findContact, messageFields } from './message';
import { instant, objects, type JsonObject } from './read';

/**
 * On-Premise body: top-level `contacts`, `messages`, `statuses`, `errors`. There is no envelope, so
 * the WABA and phone number ids are unknown (the receiving number is implied by the webhook URL).
 */
export function normalizeOnPremise(payload: JsonObject, emit: Emit): void {
	const root = () => '$';
	const origin = { wabaId: null, phoneNumberId: null, displayPhoneNumber: null };
	const contacts = objects(payload, 'contacts', root);
	for (const message of objects(payload, 'messages', root)) {
		const fields = messageFields(message, findContact(contacts, message));
		emit(
			{ kind: 'message', event: `message.${fields.type}`, source: 'on_premise', id: fields.messageId, ...instant(message.timestamp), ...origin, ...fields, severity: 'info' },
			message,
		);
	}
	for (const status of objects(payload, 'statuses', root)) statusEvent(status, 'on_premise', origin, emit);
	for (const error of objects(payload, 'errors', root)) {
		emit(
			{ kind: 'error', event: 'error', source: 'on_premise', id: null, ...instant(undefined), ...origin, ...errorDetail(error), field: null, severity: 'info' },
			error,
		);
	}
}
