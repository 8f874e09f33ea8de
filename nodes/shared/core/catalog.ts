/**
 * The catalog: every event name, message type, status value, filter group and severity rule the
 * package knows, defined once. Filter options, TypeScript unions and the README tables derive from
 * these arrays. Names not listed here still flow through: they are "unknown", never rejected.
 */

/** Message types the normalizer lifts fields from. On-Premise `voice` becomes `audio` (with `media.voice: true`). */
export const MESSAGE_TYPES = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'location',
	'contacts',
	'interactive',
	'button',
	'reaction',
	'order',
	'system',
	'request_welcome',
	'edit',
	'revoke',
	'unsupported',
	'unknown',
	'ephemeral',
	'ciphertext',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Message types whose payload object is a media object (downloadable by id). */
export const MEDIA_MESSAGE_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

/** Delivery status values (Cloud and On-Premise). `deleted` is On-Premise only, `played` Cloud only. */
export const STATUS_VALUES = [
	'sent',
	'delivered',
	'read',
	'played',
	'failed',
	'deleted',
	'warning',
] as const;
export type StatusValue = (typeof STATUS_VALUES)[number];

/**
 * Cloud API change fields other than `messages`, with the item kind and event name each becomes.
 * `split` names the list inside `value` whose elements each become one item (an empty or missing
 * list still yields one item for the change, so nothing is dropped). A split item's event is the
 * name here plus the element's type (`call.connect`), unless `fixedEvent` keeps the name as is.
 */
export const CHANGE_FIELDS = {
	message_template_status_update: { kind: 'template_status', event: 'template.status' },
	message_template_quality_update: { kind: 'template_quality', event: 'template.quality' },
	template_category_update: { kind: 'template_category', event: 'template.category' },
	message_template_components_update: { kind: 'template_components', event: 'template.components' },
	account_update: { kind: 'account_update', event: 'account.update' },
	account_review_update: { kind: 'account_review', event: 'account.review' },
	account_alerts: { kind: 'account_alert', event: 'account.alert' },
	phone_number_quality_update: { kind: 'phone_number_quality', event: 'phone_number.quality' },
	phone_number_name_update: { kind: 'phone_number_name', event: 'phone_number.name' },
	business_capability_update: { kind: 'business_capability', event: 'business.capability' },
	security: { kind: 'security', event: 'security' },
	smb_message_echoes: { kind: 'echo', event: 'echo', split: 'message_echoes' },
	history: { kind: 'history', event: 'history' },
	smb_app_state_sync: { kind: 'app_state_sync', event: 'app_state_sync', split: 'state_sync' },
	user_preferences: {
		kind: 'user_preference',
		event: 'user_preference',
		split: 'user_preferences',
	},
	calls: { kind: 'call', event: 'call', split: 'calls' },
	partner_solutions: { kind: 'change', event: 'change.partner_solutions' },
	payment_configuration_update: { kind: 'change', event: 'change.payment_configuration_update' },
	automatic_events: { kind: 'change', event: 'change.automatic_events' },
	flows: { kind: 'change', event: 'change.flows' },
	group_lifecycle_update: {
		kind: 'group',
		event: 'group.lifecycle',
		split: 'groups',
		fixedEvent: true,
	},
	group_participants_update: {
		kind: 'group',
		event: 'group.participants',
		split: 'groups',
		fixedEvent: true,
	},
	group_settings_update: {
		kind: 'group',
		event: 'group.settings',
		split: 'groups',
		fixedEvent: true,
	},
	group_status_update: { kind: 'group', event: 'group.status', split: 'groups', fixedEvent: true },
} as const satisfies Record<
	string,
	{ kind: string; event: string; split?: string; fixedEvent?: true }
>;
export type ChangeField = keyof typeof CHANGE_FIELDS;

/** Change events whose name does not depend on the element: the ones a filter can list by name. */
export const NAMED_CHANGE_EVENTS: readonly string[] = [
	...new Set(
		Object.values(CHANGE_FIELDS)
			.filter((spec) => !('split' in spec) || 'fixedEvent' in spec)
			.map((spec) => spec.event),
	),
];

/**
 * `groups[].type` values Meta documents for the group fields (Groups API webhooks, Feb 2026). Other
 * values pass through in `groupEvent`.
 */
export const GROUP_EVENT_TYPES = [
	'group_create',
	'group_delete',
	'group_participants_add',
	'group_participants_remove',
	'group_join_request_created',
	'group_join_request_revoked',
	'group_settings_update',
	'group_suspend',
	'group_suspend_cleared',
] as const;

/**
 * `value.user_actions[].action_type` values on a `messages` change: one `user_action.<type>` item
 * per action. Other action types pass through under their own name and count as unknown.
 */
export const USER_ACTION_TYPES = ['marketing_messages_link_click'] as const;
export type UserActionType = (typeof USER_ACTION_TYPES)[number];

/**
 * `calls` events and call status values Meta documents (Calling API): `calls[].event` and, for
 * call statuses, `statuses[].status`. Others still become `call.<value>` items and count as unknown.
 */
export const CALL_EVENTS = ['connect', 'terminate', 'ringing', 'accepted', 'rejected'] as const;

/**
 * Fields Meta lets a number or WABA override (so 360dialog can deliver them to the number's
 * webhook) whose payload no public source shows yet. They arrive as `unknown` items with the field
 * and the whole value, until their shape is documented.
 */
export const UNDOCUMENTED_CHANGE_FIELDS = {
	account_settings_update: 'Account settings (e.g. calling settings) changed.',
	message_echoes:
		'Messages the business sent, outside the WhatsApp Business app (the SMB variant is `smb_message_echoes`).',
} as const;

/** Partner Hub events from the 360dialog spec, grouped as the Partner trigger shows them. */
export const PARTNER_EVENT_GROUPS = {
	lifecycle: {
		label: 'Client and Channel Lifecycle',
		events: [
			'client_created',
			'channel_created',
			'channel_submitted',
			'channel_ready',
			'channel_running',
			'channel_live',
			'channel_status_changed',
			'template_messaging_enabled',
			'template_messaging_disabled',
			'migrated_to_cloud_api',
			'migrated_to_on_premise',
		],
	},
	permissions: {
		label: 'Permissions, Subscription and Cancellation',
		events: [
			'channel_permission_granted',
			'channel_permission_revoked',
			'channel_subscription_set',
			'cancellation_request',
			'cancellation_revoke',
			'cancellation_processed',
		],
	},
	compliance: {
		label: 'Compliance and Quality',
		events: [
			'account_violation',
			'account_restriction',
			'disabled_update',
			'phone_number_quality_changed',
			'business_capability_update',
		],
	},
	templates: {
		label: 'Templates',
		events: [
			'waba_template_status_changed',
			'waba_template_quality_score_changed',
			'waba_template_category_changed',
		],
	},
	flows: {
		label: 'Flows',
		events: [
			'endpoint_availability',
			'client_error_rate',
			'endpoint_error_rate',
			'endpoint_latency',
			'flow_status_change',
		],
	},
	sync: {
		label: 'History and Sync',
		events: ['history', 'smb_app_state_sync'],
	},
} as const;
export type PartnerEventGroup = keyof typeof PARTNER_EVENT_GROUPS;
export type PartnerEventName = (typeof PARTNER_EVENT_GROUPS)[PartnerEventGroup]['events'][number];
export const PARTNER_EVENTS: readonly PartnerEventName[] = Object.values(
	PARTNER_EVENT_GROUPS,
).flatMap((group) => group.events);

/**
 * Partner event names no public 360dialog source confirms as partner webhook events: the catalog
 * keeps them, so they are filterable, but the README marks them. Several are Meta field or
 * `value.event` names that 360dialog may or may not relay under that name.
 */
export const UNCONFIRMED_PARTNER_EVENTS: readonly PartnerEventName[] = [
	'channel_permission_revoked',
	'channel_subscription_set',
	'migrated_to_cloud_api',
	'migrated_to_on_premise',
	'waba_template_quality_score_changed',
	// Every flow endpoint alert.
	...PARTNER_EVENT_GROUPS.flows.events,
];

/**
 * Words written in capitals when a display name is derived from an event name, so that
 * `waba_template_status_changed` reads "WABA Template Status Changed".
 */
export const DISPLAY_ACRONYMS: readonly string[] = ['waba', 'api', 'smb', 'id', 'url', 'bsuid'];
const ACRONYMS = new Set(DISPLAY_ACRONYMS);

/** `template.status` → `Template Status`, `waba_template_status_changed` → `WABA Template Status Changed`. */
export const displayNameOf = (name: string): string =>
	name
		.split(/[._]/)
		.filter(Boolean)
		.map((word) =>
			ACRONYMS.has(word.toLowerCase())
				? word.toUpperCase()
				: word.charAt(0).toUpperCase() + word.slice(1),
		)
		.join(' ');

/** The `event` name of a partner item: `partner.` plus the envelope name in lower case. */
export const partnerEventName = (name: string): string => `partner.${name.toLowerCase()}`;

/**
 * Event groups, the building blocks of the event filter. A group matches an event name by exact
 * name or by prefix (`message.` matches every message type). The messaging trigger offers every
 * group but `partner`; the Normalize node offers all.
 */
export const MESSAGING_EVENT_GROUPS = {
	messages: {
		label: 'All Messages',
		short: 'Messages',
		action: 'On message received',
		prefixes: ['message.'],
	},
	statuses: {
		label: 'All Statuses',
		short: 'Statuses',
		action: 'On message status (sent, delivered, read, failed)',
		prefixes: ['status.'],
	},
	errors: { label: 'Errors', short: 'Errors', action: 'On error', prefixes: ['error'] },
	templates: {
		label: 'Template Updates',
		short: 'Templates',
		action: 'On template update',
		prefixes: ['template.'],
	},
	account: {
		label: 'Account and Quality Updates',
		short: 'Account',
		action: 'On account or quality update',
		prefixes: ['account.', 'phone_number.', 'business.', 'security'],
	},
	echoes: {
		label: 'Echoes (Messages Sent by the Business)',
		short: 'Echoes',
		action: 'On message sent from the WhatsApp Business app',
		prefixes: ['echo.'],
	},
	groups: { label: 'Group Updates', short: 'Groups', action: 'On group update', prefixes: ['group.'] },
	clicks: {
		label: 'Marketing Click Events',
		short: 'Clicks',
		action: 'On marketing message link click',
		prefixes: ['user_action.'],
	},
	sync: {
		label: 'History and Sync',
		short: 'History and Sync',
		action: 'On history, sync, call or other change',
		prefixes: ['history', 'app_state_sync', 'user_preference.', 'call.', 'change.'],
	},
	unknown: {
		label: 'Unknown or Malformed',
		short: 'Unknown',
		action: 'On unknown or malformed event',
		prefixes: ['unknown'],
		description:
			'New change fields, and elements that could not be read (kept whole with their path and the reason). Dropped unless selected.',
	},
	partner: {
		label: 'Partner Hub Events',
		short: 'Partner',
		action: 'On Partner Hub event',
		prefixes: ['partner.'],
	},
} as const;
export type MessagingEventGroup = keyof typeof MESSAGING_EVENT_GROUPS;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The severity table. Rules are read top to bottom; the first rule whose event matches (exactly,
 * or by prefix when it ends in `.`) and whose `when` condition holds decides. No match is `info`.
 * `when` names a normalized field and the values (upper-cased) that trigger the rule.
 */
export interface SeverityRule {
	events: readonly string[];
	when?: { field: string; values: readonly string[] };
	severity: Severity;
	why: string;
}

/** An item event name, checked where it names a partner event: a misspelt one is `never`. */
type CheckedEvent<E extends string> = E extends `partner.${infer Name}`
	? Name extends PartnerEventName
		? E
		: never
	: E;

/** A rule list whose `partner.*` event names must be catalog partner events (else it does not compile). */
const severityRules = <const E extends string>(
	rules: readonly (SeverityRule & { events: readonly E[] } & {
		events: readonly CheckedEvent<E>[];
	})[],
): readonly SeverityRule[] => rules;

export const SEVERITY_RULES: readonly SeverityRule[] = severityRules([
	{
		events: ['partner.account_violation', 'partner.account_restriction', 'partner.disabled_update'],
		severity: 'critical',
		why: 'The account is restricted or banned.',
	},
	{
		events: ['account.update'],
		when: {
			field: 'accountEvent',
			values: ['ACCOUNT_VIOLATION', 'ACCOUNT_RESTRICTION', 'ACCOUNT_DELETED'],
		},
		severity: 'critical',
		why: 'Meta restricted, flagged or deleted the account.',
	},
	{
		events: ['account.update'],
		when: { field: 'banState', values: ['DISABLE', 'SCHEDULE_FOR_DISABLE'] },
		severity: 'critical',
		why: 'The account is banned or scheduled to be.',
	},
	{
		events: ['account.alert'],
		when: { field: 'alertSeverity', values: ['CRITICAL'] },
		severity: 'critical',
		why: 'Meta marks the alert critical.',
	},
	{
		events: [
			'template.quality',
			'partner.waba_template_quality_score_changed',
			'phone_number.quality',
			'partner.phone_number_quality_changed',
		],
		when: { field: 'qualityRating', values: ['RED', 'LOW'] },
		severity: 'critical',
		why: 'Quality is RED: sending is about to be limited.',
	},
	{
		events: ['group.status'],
		when: { field: 'groupEvent', values: ['GROUP_SUSPEND'] },
		severity: 'critical',
		why: 'Meta suspended the group: nobody can write in it until the suspension is cleared.',
	},
	{
		events: ['template.status', 'partner.waba_template_status_changed'],
		when: { field: 'templateStatus', values: ['DISABLED', 'LOCKED'] },
		severity: 'critical',
		why: 'The template can no longer be sent.',
	},
	{
		events: ['template.status', 'partner.waba_template_status_changed'],
		when: { field: 'templateStatus', values: ['PAUSED', 'REJECTED', 'FLAGGED', 'LIMIT_EXCEEDED'] },
		severity: 'warning',
		why: 'The template is paused, rejected or flagged.',
	},
	{
		events: [
			'template.quality',
			'partner.waba_template_quality_score_changed',
			'phone_number.quality',
			'partner.phone_number_quality_changed',
		],
		when: { field: 'qualityDropped', values: ['TRUE'] },
		severity: 'warning',
		why: 'Quality went down (flagged, downgraded or a lower rating).',
	},
	{
		events: ['account.update'],
		when: {
			field: 'accountEvent',
			values: ['ACCOUNT_OFFBOARDED', 'PARTNER_REMOVED', 'DISABLED_UPDATE'],
		},
		severity: 'warning',
		why: 'The account left the partner or its ban state changed.',
	},
	{
		events: ['account.alert'],
		when: { field: 'alertSeverity', values: ['WARNING'] },
		severity: 'warning',
		why: 'Meta marks the alert a warning.',
	},
	{
		events: ['phone_number.name'],
		when: { field: 'decision', values: ['REJECTED'] },
		severity: 'warning',
		why: 'The display name was rejected.',
	},
	{
		events: [
			'partner.cancellation_request',
			'partner.channel_permission_revoked',
			'partner.template_messaging_disabled',
			'partner.endpoint_availability',
			'partner.client_error_rate',
			'partner.endpoint_error_rate',
			'partner.endpoint_latency',
		],
		severity: 'warning',
		why: 'A channel may stop working, or a flow endpoint is failing.',
	},
	{
		events: ['status.failed', 'error', 'security'],
		severity: 'warning',
		why: 'A message was not delivered, an error was reported, or a PIN reset was requested.',
	},
]);

/**
 * The Partner trigger's "Alerts Only" preset: events that need a human, narrowed by condition
 * where the event name alone says too little (a template event is an alert only when paused or
 * disabled, a quality event only when quality went down).
 */
export const PARTNER_ALERT_RULES: readonly SeverityRule[] = severityRules([
	{
		events: ['partner.account_violation', 'partner.account_restriction', 'partner.disabled_update'],
		severity: 'critical',
		why: 'Account violation, restriction or ban.',
	},
	{
		events: ['partner.phone_number_quality_changed', 'partner.waba_template_quality_score_changed'],
		when: { field: 'qualityDropped', values: ['TRUE'] },
		severity: 'warning',
		why: 'Quality dropped.',
	},
	{
		events: ['partner.waba_template_status_changed'],
		when: { field: 'templateStatus', values: ['PAUSED', 'DISABLED'] },
		severity: 'warning',
		why: 'Template paused or disabled.',
	},
	{
		events: [
			'partner.endpoint_availability',
			'partner.client_error_rate',
			'partner.endpoint_error_rate',
			'partner.endpoint_latency',
		],
		severity: 'warning',
		why: 'Flow endpoint errors.',
	},
]);

/**
 * Quality ratings from best to worst, as Meta (GREEN…) and 360dialog (HIGH…) name them; ratings on
 * one level are equal, and a move to a later level is a drop.
 */
export const QUALITY_LEVELS = [
	['GREEN', 'HIGH'],
	['YELLOW', 'MEDIUM'],
	['RED', 'LOW'],
] as const;
const QUALITY_RANK: Record<string, number> = Object.fromEntries(
	QUALITY_LEVELS.flatMap((names, rank) => names.map((name) => [name, rank])),
);
/** Quality event values (Meta `phone_number_quality_update.event` and similar) that mean a drop. */
export const QUALITY_DROP_EVENTS = ['FLAGGED', 'DOWNGRADE'] as const;
/** Quality event values that mean the opposite. */
export const QUALITY_RISE_EVENTS = [
	'UNFLAGGED',
	'UPGRADE',
	'THROUGHPUT_UPGRADE',
	'ONBOARDING',
] as const;

/** Whether quality went down: from ratings when both are known, otherwise from the event value. */
export function qualityDropped(
	previous: string | null,
	current: string | null,
	eventValue: string | null,
): boolean | null {
	const before = previous === null ? undefined : QUALITY_RANK[previous.toUpperCase()];
	const after = current === null ? undefined : QUALITY_RANK[current.toUpperCase()];
	if (before !== undefined && after !== undefined) return after > before;
	if (eventValue !== null) {
		const value = eventValue.toUpperCase();
		if ((QUALITY_DROP_EVENTS as readonly string[]).includes(value)) return true;
		if ((QUALITY_RISE_EVENTS as readonly string[]).includes(value)) return false;
	}
	if (after === QUALITY_LEVELS.length - 1) return true; // already at the worst level
	return null;
}

const whenHolds = (rule: SeverityRule, fields: Record<string, unknown>): boolean => {
	if (!rule.when) return true;
	const value = fields[rule.when.field];
	return (
		value !== null && value !== undefined && rule.when.values.includes(String(value).toUpperCase())
	);
};

const eventMatches = (rule: SeverityRule, event: string): boolean =>
	rule.events.some((name) => (name.endsWith('.') ? event.startsWith(name) : event === name));

const ruleMatches = (rule: SeverityRule, event: string, fields: Record<string, unknown>): boolean =>
	eventMatches(rule, event) && whenHolds(rule, fields);

/** The first matching rule of `rules`, or undefined. */
export function matchRule(
	rules: readonly SeverityRule[],
	event: string,
	fields: Record<string, unknown>,
): SeverityRule | undefined {
	return rules.find((rule) => ruleMatches(rule, event, fields));
}

/** The severity rules that can apply to each event name, found once per name (bounded). */
const severityRulesByEvent = new Map<string, readonly SeverityRule[]>();

/** The part before the first dot of every event a rule names: other events are `info` at once. */
const ruledHeads = new Set(
	SEVERITY_RULES.flatMap((rule) => rule.events.map((event) => event.split('.')[0])),
);

/** Severity of a normalized event, from the table above. */
export function severityOf(event: string, fields: Record<string, unknown>): Severity {
	const dot = event.indexOf('.');
	if (!ruledHeads.has(dot < 0 ? event : event.slice(0, dot))) return 'info';
	let rules = severityRulesByEvent.get(event);
	if (rules === undefined) {
		rules = SEVERITY_RULES.filter((rule) => eventMatches(rule, event));
		if (severityRulesByEvent.size < 1000) severityRulesByEvent.set(event, rules);
	}
	for (const rule of rules) if (whenHolds(rule, fields)) return rule.severity;
	return 'info';
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** Whether `severity` is at least `threshold`. */
export const isAtLeast = (severity: Severity, threshold: Severity): boolean =>
	SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
