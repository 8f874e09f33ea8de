import {
	CALL_EVENTS,
	isAtLeast,
	matchRule,
	MESSAGE_TYPES,
	MESSAGING_EVENT_GROUPS,
	PARTNER_ALERT_RULES,
	PARTNER_EVENT_GROUPS,
	partnerEventName,
	STATUS_VALUES,
	USER_ACTION_TYPES,
	type MessagingEventGroup,
	type PartnerEventGroup,
	type Severity,
} from './catalog';
import type { NormalizedEvent } from './schemas/normalized';

/** Selecting this value in an event filter selects everything. */
export const ALL_EVENTS = '*';
/** The event name of items for new change fields and for elements that could not be read. */
export const UNKNOWN_EVENT = 'unknown';
/** Filter values that stand for a whole group are `group:<name>`. */
export const groupValue = (group: MessagingEventGroup): string => `group:${group}`;

/** Per event prefix, the names the catalog lists; any other name under that prefix is unknown. */
const KNOWN_EVENTS: ReadonlyArray<[prefix: string, names: ReadonlySet<string>]> = (
	[
		['message.', MESSAGE_TYPES],
		['status.', STATUS_VALUES],
		['user_action.', USER_ACTION_TYPES],
		['call.', CALL_EVENTS],
	] as const
).map(([prefix, names]) => [prefix, new Set(names.map((name) => `${prefix}${name}`))]);

/**
 * Whether an event name is outside the catalog: a new message type, status value, user action,
 * call event or change field.
 */
export function isUnknownEvent(event: string): boolean {
	if (event === UNKNOWN_EVENT) return true;
	const known = KNOWN_EVENTS.find(([prefix]) => event.startsWith(prefix));
	return known !== undefined && !known[1].has(event);
}

function inGroup(group: MessagingEventGroup, event: string): boolean {
	if (group === 'unknown') return isUnknownEvent(event);
	return MESSAGING_EVENT_GROUPS[group].prefixes.some(
		(prefix) => event === prefix || event.startsWith(prefix),
	);
}

export interface MessagingFilter {
	/**
	 * Event names and `group:` values. Empty, or only `*`, means every event; `*` beside other
	 * values is ignored.
	 */
	events?: readonly string[];
	/** Only these phone number ids (events without one, such as On-Premise, always pass). */
	phoneNumberIds?: readonly string[];
	/** Drop echoes: messages the business itself sent from the WhatsApp Business app. */
	ignoreEchoes?: boolean;
}

/** A predicate for the messaging trigger and the Normalize node, compiled once per configuration. */
export function messagingFilter(filter: MessagingFilter): (event: NormalizedEvent) => boolean {
	const chosen = (filter.events ?? []).map((value) => value.trim().toLowerCase()).filter(Boolean);
	// All Events stays selected in the editor when a user adds a specific event: the specific
	// choices then win, since they are the narrowing the user just asked for.
	const selected = chosen.filter((value) => value !== ALL_EVENTS);
	const everything = selected.length === 0;
	const groups = selected
		.filter((value) => value.startsWith('group:'))
		.map((value) => value.slice(6) as MessagingEventGroup);
	const names = new Set(selected.filter((value) => !value.startsWith('group:')));
	const phoneNumberIds = new Set(
		(filter.phoneNumberIds ?? []).map((id) => id.trim()).filter(Boolean),
	);

	return (event) => {
		if (filter.ignoreEchoes && event.kind === 'echo') return false;
		if (
			phoneNumberIds.size > 0 &&
			event.phoneNumberId !== null &&
			!phoneNumberIds.has(event.phoneNumberId)
		)
			return false;
		if (everything) return true;
		const name = event.event.toLowerCase();
		return (
			names.has(name) ||
			groups.some((group) => group in MESSAGING_EVENT_GROUPS && inGroup(group, name))
		);
	};
}

export const PARTNER_PRESETS = ['all', 'alerts', 'lifecycle', 'templates', 'custom'] as const;
export type PartnerPreset = (typeof PARTNER_PRESETS)[number];

const PRESET_GROUPS: Partial<Record<PartnerPreset, readonly PartnerEventGroup[]>> = {
	lifecycle: ['lifecycle', 'permissions'],
	templates: ['templates'],
};

export interface PartnerFilter {
	preset?: PartnerPreset;
	/** With the Custom preset: catalog event names, matched without regard to case. */
	events?: readonly string[];
	/** Extra event names, for names 360dialog adds later. Apply to every preset but All. */
	otherEvents?: readonly string[];
	/** Drop events below this severity. */
	minSeverity?: Severity;
}

/** A predicate for the Partner trigger. Unknown event names pass under All Events. */
export function partnerFilter(filter: PartnerFilter): (event: NormalizedEvent) => boolean {
	const preset = filter.preset ?? 'all';
	const extra = (filter.otherEvents ?? [])
		.map((name) => name.trim())
		.filter(Boolean)
		.map(partnerEventName);
	const groups = PRESET_GROUPS[preset] ?? [];
	const names = new Set<string>([
		...groups.flatMap((group) => PARTNER_EVENT_GROUPS[group].events.map(partnerEventName)),
		...(preset === 'custom' ? (filter.events ?? []).map(partnerEventName) : []),
		...extra,
	]);
	const minSeverity = filter.minSeverity ?? 'info';
	const selectsUnknown = [
		...(preset === 'custom' ? (filter.events ?? []) : []),
		...(filter.otherEvents ?? []),
	].some((name) => name.trim().toLowerCase() === UNKNOWN_EVENT);

	return (event) => {
		if (!isAtLeast(event.severity, minSeverity)) return false;
		if (preset === 'all') return true;
		// Malformed elements are `unknown`, not `partner.unknown`: selectable by that name.
		if (event.event === UNKNOWN_EVENT) return selectsUnknown;
		if (names.has(event.event)) return true;
		return preset === 'alerts' && matchRule(PARTNER_ALERT_RULES, event.event, event) !== undefined;
	};
}
