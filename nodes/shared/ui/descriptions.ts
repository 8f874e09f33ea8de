import type { INodeProperties, INodePropertyOptions, IWebhookDescription } from 'n8n-workflow';

import {
	CALL_EVENTS,
	displayNameOf,
	MESSAGE_TYPES,
	MESSAGING_EVENT_GROUPS,
	NAMED_CHANGE_EVENTS,
	PARTNER_EVENT_GROUPS,
	SEVERITIES,
	SEVERITY_RULES,
	STATUS_VALUES,
	UNCONFIRMED_PARTNER_EVENTS,
	USER_ACTION_TYPES,
	type MessagingEventGroup,
	type PartnerEventName,
	type Severity,
} from '../core/catalog';
import { DEDUP_TTL_SECONDS } from '../core/dedup';
import { ALL_EVENTS, groupValue, PARTNER_PRESETS, UNKNOWN_EVENT, type PartnerPreset } from '../core/filter';

const ALL_EVENTS_OPTION: INodePropertyOptions = {
	name: 'All Events',
	value: ALL_EVENTS,
	action: 'On any event',
	description:
		'Every event, including ones 360dialog adds later. Ignored when other events are selected too.',
};

/** All Events and one option per event group: the short list the node creator shows as triggers. */
export function groupEventOptions(groups: readonly MessagingEventGroup[]): INodePropertyOptions[] {
	return [
		ALL_EVENTS_OPTION,
		...groups.map((group) => {
			const { label, action, description } = MESSAGING_EVENT_GROUPS[group] as {
				label: string;
				action: string;
				description?: string;
			};
			return { name: label, value: groupValue(group), action, ...(description ? { description } : {}) };
		}),
	];
}

/** One option per event the catalog names, for filters narrower than a group. */
export function specificEventOptions(groups: readonly MessagingEventGroup[]): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = [];
	if (groups.includes('messages')) {
		for (const type of MESSAGE_TYPES)
			options.push({ name: `Message: ${displayNameOf(type)}`, value: `message.${type}` });
	}
	if (groups.includes('statuses')) {
		for (const status of STATUS_VALUES)
			options.push({ name: `Status: ${displayNameOf(status)}`, value: `status.${status}` });
	}
	if (groups.includes('clicks')) {
		for (const type of USER_ACTION_TYPES)
			options.push({ name: `User Action: ${displayNameOf(type)}`, value: `user_action.${type}` });
	}
	for (const event of NAMED_CHANGE_EVENTS) options.push({ name: displayNameOf(event), value: event });
	for (const event of CALL_EVENTS)
		options.push({ name: `Call: ${displayNameOf(event)}`, value: `call.${event}` });
	return options;
}

/** The event filter's options, all derived from the catalog: All Events, the groups, single events. */
export function eventOptions(groups: readonly MessagingEventGroup[]): INodePropertyOptions[] {
	return [...groupEventOptions(groups), ...specificEventOptions(groups)];
}

/**
 * What a canvas subtitle calls the events before a dot: each group's short name for its first
 * prefix (`message` → Messages), the event's own words for the others (`phone_number` → Phone Number).
 */
export function subtitleLabels(): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const [group, spec] of Object.entries(MESSAGING_EVENT_GROUPS)) {
		labels[groupValue(group as MessagingEventGroup)] = spec.short;
		spec.prefixes.forEach((prefix, index) => {
			const head = prefix.replace(/\.$/, '');
			labels[head] ??= index === 0 ? spec.short : displayNameOf(head);
		});
	}
	return labels;
}

/**
 * The messaging trigger's canvas subtitle, an n8n expression: what the node listens to, e.g.
 * "All events", "Messages: text, image", "Messages; Statuses: failed". It reads Events and, from
 * version 3 on, Specific Events; All Events beside other choices is ignored, as in the filter.
 */
export function eventsSubtitle(): string {
	const labels = JSON.stringify(subtitleLabels());
	return (
		'={{ ((labels, values) => values.length === 0 ? "All events" : Object.entries(values.reduce((found, value) => {' +
		' const whole = value.startsWith("group:") || !value.includes(".");' +
		' const head = value.startsWith("group:") ? value : value.split(".")[0];' +
		' const label = labels[head] || head;' +
		' const detail = whole ? null : value.slice(head.length + 1).replace(/_/g, " ");' +
		' found[label] = found[label] === null || detail === null ? null : (found[label] || []).concat([detail]);' +
		' return found; }, {})).map(([label, details]) => details ? label + ": " + details.join(", ") : label).join("; "))' +
		`(${labels}, [].concat($parameter["events"] || [], $parameter["specificEvents"] || []).filter((value) => value !== "${ALL_EVENTS}")) }}`
	);
}

const UNCONFIRMED = new Set<PartnerEventName>(UNCONFIRMED_PARTNER_EVENTS);

/**
 * Partner event options for the Custom preset, one per catalog event, grouped in the label; names
 * no public 360dialog source confirms say so.
 */
export function partnerEventOptions(): INodePropertyOptions[] {
	return [
		...Object.values(PARTNER_EVENT_GROUPS).flatMap((group) =>
			group.events.map((event: PartnerEventName) => ({
				name: `${group.label}: ${displayNameOf(event)}${UNCONFIRMED.has(event) ? ' (Unconfirmed)' : ''}`,
				value: event,
			})),
		),
		{
			name: MESSAGING_EVENT_GROUPS.unknown.label,
			value: UNKNOWN_EVENT,
			description: MESSAGING_EVENT_GROUPS.unknown.description,
		},
	];
}

/** The Partner trigger's Events presets: the option, the node creator's trigger, the subtitle. */
export const PARTNER_PRESET_LABELS: Record<
	PartnerPreset,
	{ name: string; action: string; description: string; subtitle: string }
> = {
	alerts: {
		name: 'Alerts Only',
		action: 'On alert (violation, quality drop, paused template, endpoint error)',
		description:
			'Account violations, restrictions and bans, quality drops, paused or disabled templates, and flow endpoint errors',
		subtitle: 'Alerts only',
	},
	all: {
		name: 'All Events',
		action: 'On any Partner Hub event',
		description: 'Every event, including names 360dialog adds later',
		subtitle: 'All events',
	},
	lifecycle: {
		name: 'Channel Lifecycle',
		action: 'On client or channel lifecycle change',
		description: 'Clients and channels: created, live, permissions, cancellations',
		subtitle: 'Channel lifecycle',
	},
	custom: {
		name: 'Custom',
		action: 'On selected Partner Hub events',
		description: 'Pick the events',
		subtitle: 'Custom',
	},
	templates: {
		name: 'Templates',
		action: 'On template status, quality or category change',
		description: 'Template status, quality and category changes',
		subtitle: 'Templates',
	},
};

export const PARTNER_PRESET_OPTIONS: INodePropertyOptions[] = PARTNER_PRESETS.map((preset) => {
	const { name, action, description } = PARTNER_PRESET_LABELS[preset];
	return { name, value: preset, action, description };
}).sort((a, b) => a.name.localeCompare(b.name));

/** What a Minimum Severity level keeps, for subtitles: "", "warning or critical", "critical only". */
const severityKeeps = (level: Severity): string => {
	const kept = SEVERITIES.slice(SEVERITIES.indexOf(level));
	if (level === SEVERITIES[0]) return '';
	return kept.length === 1 ? `${level} only` : kept.join(' or ');
};

/**
 * The Partner trigger's canvas subtitle, an n8n expression: the preset ("Alerts only"), the chosen
 * names for Custom, and the severity threshold when there is one ("All events (critical only)").
 */
export function partnerSubtitle(): string {
	const presets = JSON.stringify(
		Object.fromEntries(PARTNER_PRESETS.map((preset) => [preset, PARTNER_PRESET_LABELS[preset].subtitle])),
	);
	const severities = JSON.stringify(
		Object.fromEntries(SEVERITIES.map((level) => [level, severityKeeps(level)])),
	);
	return (
		`={{ ((presets, severities, preset, events, severity) => (presets[preset] || preset)` +
		' + (preset === "custom" && events.length > 0 ? ": " + events.map((name) => name.replace(/_/g, " ")).join(", ") : "")' +
		' + (severities[severity] ? " (" + severities[severity] + ")" : ""))' +
		`(${presets}, ${severities}, $parameter["preset"], $parameter["events"] || [], $parameter["minSeverity"]) }}`
	);
}

const sentence = (why: string): string => why.charAt(0).toLowerCase() + why.slice(1).replace(/\.$/, '');

/**
 * Minimum Severity's options, one per level, each saying what it keeps with an example from the
 * severity table: the reason of the first rule (for these event names) that gives that level. The
 * README's severity table lists them all; the dropdown shows two lines.
 */
export function severityOptions(appliesTo: (event: string) => boolean): INodePropertyOptions[] {
	const example = (level: Severity): string | undefined =>
		SEVERITY_RULES.find((rule) => rule.severity === level && rule.events.some(appliesTo))?.why;
	return SEVERITIES.map((level) => {
		const name = displayNameOf(level);
		if (level === SEVERITIES[0])
			return { name, value: level, description: 'Everything: no event is dropped' };
		const kept = SEVERITIES.slice(SEVERITIES.indexOf(level)).map(displayNameOf).join(' and ');
		const why = example(level);
		return {
			name,
			value: level,
			description: `Only ${kept} events${why ? `, e.g. ${sentence(why)}` : ''}`,
		};
	});
}

export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Payload',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the source message, status, change or event under "raw" on each item',
};

export const phoneNumberIdsOption: INodeProperties = {
	displayName: 'Phone Number IDs',
	name: 'phoneNumberIds',
	type: 'string',
	default: '',
	placeholder: 'e.g. 106540352242922, 106540352242923',
	description:
		'Only events for these phone number IDs, comma-separated. Useful with a WABA-level webhook. Events without a phone number ID (On-Premise, Partner) always pass.',
};

export const ignoreEchoesOption: INodeProperties = {
	displayName: 'Ignore Echoes',
	name: 'ignoreEchoes',
	type: 'boolean',
	default: false,
	description:
		'Whether to drop messages the business itself sent from the WhatsApp Business app, keeping only customer messages',
};

/**
 * Both triggers' versions. Version 2 behaves exactly like version 1; it exists for n8n's webhook
 * handler, which treats a start node of version 1 like its Webhook node v1: parseRequestBody()
 * (webhook-helpers.js, n8n 2.40) evaluates the expression `$parameter["options"]["binaryData"]` on
 * every request to it. live-webhooks.js opens an expression-isolate scope for every start node that
 * is not n8n's own Webhook node (webhookPhaseNeedsIsolate); with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE
 * that scope costs nothing until an expression reaches the engine, which for version 1 is that
 * one. For version 2 n8n evaluates nothing and reads only JSON, text, form and XML bodies itself
 * (receiveEvents reads any other), so a request that only reaches webhook() needs no isolate.
 */
export const TRIGGER_VERSIONS = { version: [1, 2], defaultVersion: 2 };

/**
 * The messaging trigger's versions. Version 3 splits Events into the event groups (the short list
 * n8n's node creator shows as triggers) and Specific Events; versions 1 and 2 keep the one long
 * Events list their workflows were saved with. Version 3 behaves like version 2 otherwise.
 */
export const MESSAGING_TRIGGER_VERSIONS = { version: [1, 2, 3], defaultVersion: 3 };

/**
 * Both triggers: POST for events, GET for verification challenges, on the same path. An empty
 * `responseData` makes n8n answer a run with the node's `webhookResponse`; without it n8n 2.40
 * answers with its default's name, the literal text `firstEntryJson`.
 */
export const TRIGGER_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: 'webhook',
	},
	{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
];

/** Header Name and Header Value, shown when Authentication is Custom Header. */
export function customHeaderProperties(placeholder: string): INodeProperties[] {
	const displayOptions = { show: { authentication: ['customHeader'] } };
	return [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			required: true,
			placeholder,
			displayOptions,
		},
		{
			displayName: 'Header Value',
			name: 'headerValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions,
		},
	];
}

export function dedupeProperty(keyedOn: string): INodeProperties {
	return {
		displayName: 'Skip Duplicate Deliveries',
		name: 'dedupe',
		type: 'boolean',
		default: true,
		description: `Whether to skip ${keyedOn} already received in the last ${DEDUP_TTL_SECONDS / 3600} hours (360dialog retries anything not answered with 200). The memory lives in the workflow's static data, which n8n keeps only for published workflows, not while testing.`,
	};
}

export const includeHeadersOption: INodeProperties = {
	displayName: 'Include Request Headers',
	name: 'includeHeaders',
	type: 'boolean',
	default: false,
	description: 'Whether to add the request headers (secrets redacted) under "headers" on each item',
};
