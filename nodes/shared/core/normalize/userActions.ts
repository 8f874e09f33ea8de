import type { UserActionEvent } from '../schemas/normalized';
import type { Sink } from './emit';
import { baseItem, type BusinessNumber } from './items';
import { instantOr, obj, objects, str, type Instant, type JsonObject } from './read';

/**
 * The `user_actions[]` of a `messages` change (marketing message link clicks): one
 * `user_action.<action_type>` item each. Returns how many there were.
 */
export function userActionItems(
	value: JsonObject,
	valuePath: () => string,
	origin: BusinessNumber & { time: Instant },
	out: Sink,
): number {
	// Almost no change has any: return before the shared list reader (measured on the corpus).
	if (value.user_actions === undefined) return 0;
	const actions = objects(out, value, 'user_actions', valuePath, origin);
	out.forEach(
		actions,
		() => `${valuePath()}.user_actions`,
		(action) => out.emit(userActionItem(action, origin, origin.time), action),
	);
	return actions.length;
}

function userActionItem(action: JsonObject, origin: BusinessNumber, changeTime: Instant): UserActionEvent {
	const actionType = str(action.action_type) ?? 'unknown';
	// Each action type carries its details in `<action_type>_data`.
	const data = obj(action[`${actionType}_data`]);
	const clickId = data && str(data.click_id);
	return Object.assign(
		baseItem(
			'user_action',
			`user_action.${actionType.toLowerCase()}`,
			'cloud',
			origin,
			instantOr(action.timestamp, changeTime),
		),
		{
			id: clickId,
			actionType,
			clickId,
			clickComponent: data && str(data.click_component),
			productId: data && str(data.product_id),
			trackingToken: data && str(data.tracking_token),
			value: action,
		},
	);
}
