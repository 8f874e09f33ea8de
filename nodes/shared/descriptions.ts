import type { INodeProperties, INodePropertyOptions, IWebhookDescription } from 'n8n-workflow';

import {
	CALL_EVENTS,
	MESSAGE_TYPES,
	MESSAGING_EVENT_GROUPS,
	NAMED_CHANGE_EVENTS,
	PARTNER_EVENT_GROUPS,
	STATUS_VALUES,
	UNCONFIRMED_PARTNER_EVENTS,
	USER_ACTION_TYPES,
	type MessagingEventGroup,
	type PartnerEventName,
} from './catalog';
import { DEDUP_TTL_SECONDS } from './dedup';
import { ALL_EVENTS, groupValue, UNKNOWN_EVENT } from './filter';

/** `template.status` → `Template Status`, `message.request_welcome` → `Request Welcome`. */
const titleCase = (words: string): string =>
	words
		.split(/[._]/)
		.filter(Boolean)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');

/** The event filter's options, all derived from the catalog. */
export function eventOptions(groups: readonly MessagingEventGroup[]): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = [
		{
			name: 'All Events',
			value: ALL_EVENTS,
			description:
				'Every event, including ones 360dialog adds later. Ignored when other events are selected too.',
		},
	];
	for (const group of groups) {
		const { label, description } = MESSAGING_EVENT_GROUPS[group] as {
			label: string;
			description?: string;
		};
		options.push({
			name: label,
			value: groupValue(group),
			...(description ? { description } : {}),
		});
	}
	if (groups.includes('messages')) {
		for (const type of MESSAGE_TYPES)
			options.push({ name: `Message: ${titleCase(type)}`, value: `message.${type}` });
	}
	if (groups.includes('statuses')) {
		for (const status of STATUS_VALUES)
			options.push({ name: `Status: ${titleCase(status)}`, value: `status.${status}` });
	}
	if (groups.includes('clicks')) {
		for (const type of USER_ACTION_TYPES)
			options.push({ name: `User Action: ${titleCase(type)}`, value: `user_action.${type}` });
	}
	for (const event of NAMED_CHANGE_EVENTS) options.push({ name: titleCase(event), value: event });
	for (const event of CALL_EVENTS)
		options.push({ name: `Call: ${titleCase(event)}`, value: `call.${event}` });
	return options;
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
				name: `${group.label}: ${titleCase(event)}${UNCONFIRMED.has(event) ? ' (Unconfirmed)' : ''}`,
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

export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Payload',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the source message, status, change or event under `raw` on each item',
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

/** Splits a comma- or newline-separated field into trimmed, non-empty values. */
export const splitList = (value: string | undefined): string[] =>
	(value ?? '')
		.split(/[,\n]/)
		.map((part) => part.trim())
		.filter(Boolean);

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
	description: 'Whether to add the request headers (secrets redacted) under `headers` on each item',
};

/** Whether a parameter value holds an n8n expression anywhere (a string starting with `=`). */
export function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}
