import type { GroupEvent } from '../schemas/normalized';
import { baseItem, errorDetails, type BusinessNumber } from './items';
import { bool, instantOr, isObject, obj, str, type Instant, type JsonObject } from './read';

/** The group fields' settings objects, in the order Meta lists them. */
const SETTINGS = ['group_subject', 'group_description', 'profile_picture'] as const;

const participants = (value: unknown): GroupEvent['addedParticipants'] =>
	(Array.isArray(value) ? value.filter(isObject) : []).map((participant) => ({
		input: str(participant.input),
		waId: str(participant.wa_id),
		userId: str(participant.user_id),
		errors: errorDetails(participant.errors),
	}));

/**
 * One `groups[]` element of a group field. The event is the field's (`group.status`); what
 * happened is `groupEvent`, the element's type. A settings update's subject and description are
 * read from its `group_subject` and `group_description` objects.
 */
export function groupItem(
	event: string,
	element: JsonObject,
	origin: BusinessNumber,
	changeTime: Instant,
): GroupEvent {
	const settings = SETTINGS.flatMap((name) => {
		const setting = obj(element[name]);
		if (setting === null) return [];
		return [
			{
				name,
				text: str(setting.text),
				successful: bool(setting.update_successful),
				errors: errorDetails(setting.errors),
			},
		];
	});
	const textOf = (name: (typeof SETTINGS)[number]) =>
		settings.find((setting) => setting.name === name)?.text ?? null;
	return Object.assign(
		baseItem('group', event, 'cloud', origin, instantOr(element.timestamp, changeTime)),
		{
			groupId: str(element.group_id),
			groupEvent: str(element.type),
			requestId: str(element.request_id),
			subject: str(element.subject) ?? textOf('group_subject'),
			description: str(element.description) ?? textOf('group_description'),
			inviteLink: str(element.invite_link),
			joinApprovalMode: str(element.join_approval_mode),
			reason: str(element.reason),
			initiatedBy: str(element.initiated_by),
			joinRequestId: str(element.join_request_id),
			waId: str(element.wa_id),
			addedParticipants: participants(element.added_participants),
			removedParticipants: participants(element.removed_participants),
			failedParticipants: participants(element.failed_participants),
			settings,
			errors: errorDetails(element.errors),
			value: element,
		},
	);
}
