import { NO_ORIGIN, type Sink } from './emit';
import { errorItem, findContact, messageItem, statusEvent } from './items';
import { instant, objects, type JsonObject } from './read';

const NO_TIME = instant(undefined);

/**
 * On-Premise body: top-level `contacts`, `messages`, `statuses`, `errors`. There is no envelope, so
 * the WABA and phone number ids are unknown (the receiving number is implied by the webhook URL).
 */
export function normalizeOnPremise(payload: JsonObject, out: Sink, root = '$'): void {
	const { emit } = out;
	const path = () => root;
	const listOf = (key: string) => objects(out, payload, key, path);
	const at = (key: string) => () => `${root}.${key}`;
	const contacts = listOf('contacts');
	out.forEach(listOf('messages'), at('messages'), (message) =>
		emit(
			messageItem('message', 'on_premise', NO_ORIGIN, message, findContact(contacts, message)),
			message,
		),
	);
	out.forEach(listOf('statuses'), at('statuses'), (status) =>
		statusEvent(status, 'on_premise', NO_ORIGIN, emit),
	);
	out.forEach(listOf('errors'), at('errors'), (error) =>
		emit(errorItem('on_premise', NO_ORIGIN, NO_TIME, error, null), error),
	);
}
