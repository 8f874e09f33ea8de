import { statusEvent } from './cloud';
import type { Emit } from './emit';
import { errorItem, findContact, messageItem, type Origin } from './message';
import { instant, objects, type JsonObject } from './read';

const NO_NUMBER: Origin = { wabaId: null, phoneNumberId: null, displayPhoneNumber: null };
const NO_TIME = instant(undefined);

/**
 * On-Premise body: top-level `contacts`, `messages`, `statuses`, `errors`. There is no envelope, so
 * the WABA and phone number ids are unknown (the receiving number is implied by the webhook URL).
 */
export function normalizeOnPremise(payload: JsonObject, emit: Emit): void {
	const root = () => '$';
	const contacts = objects(payload, 'contacts', root);
	for (const message of objects(payload, 'messages', root)) {
		emit(
			messageItem('message', 'on_premise', NO_NUMBER, message, findContact(contacts, message)),
			message,
		);
	}
	for (const status of objects(payload, 'statuses', root))
		statusEvent(status, 'on_premise', NO_NUMBER, emit);
	for (const error of objects(payload, 'errors', root))
		emit(errorItem('on_premise', NO_NUMBER, NO_TIME, error, null), error);
}
