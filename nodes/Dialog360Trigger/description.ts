import type { INodeProperties } from 'n8n-workflow';

import { MESSAGING_EVENT_GROUPS, type MessagingEventGroup } from '../shared/core/catalog';
import {
	customHeaderProperties,
	dedupeProperty,
	eventOptions,
	groupEventOptions,
	ignoreEchoesOption,
	includeHeadersOption,
	includeRawOption,
	phoneNumberIdsOption,
	specificEventOptions,
} from '../shared/ui/descriptions';
import { ALL_EVENTS } from '../shared/core/filter';
import { mediaProperties } from '../shared/n8n/media';
import { GENERATED_HEADER_NAME } from '../shared/core/security';

const MESSAGING_GROUPS = (Object.keys(MESSAGING_EVENT_GROUPS) as MessagingEventGroup[]).filter(
	(group) => group !== 'partner',
);

const FROM_VERSION_3 = { show: { '@version': [3] } };
const BEFORE_VERSION_3 = { show: { '@version': [1, 2] } };

const EVENTS_DESCRIPTION =
	'Which events start the workflow. Others are answered with 200 and start no execution.';

export const messagingTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"Publishing takes over this number's webhook until unpublished; a test URL does too.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	// First "Events" property: n8n's node creator lists its options as this node's triggers.
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [ALL_EVENTS],
		options: groupEventOptions(MESSAGING_GROUPS),
		description: EVENTS_DESCRIPTION,
		displayOptions: FROM_VERSION_3,
	},
	{
		displayName: 'Specific Events',
		name: 'specificEvents',
		type: 'multiOptions',
		default: [],
		options: specificEventOptions(MESSAGING_GROUPS),
		description:
			'Single events, e.g. only text and image messages, or only failed statuses. They add to the groups chosen in Events; with All Events, only these start the workflow.',
		displayOptions: FROM_VERSION_3,
	},
	// Versions 1 and 2: groups and single events in one list, as their workflows were saved.
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [ALL_EVENTS],
		options: eventOptions(MESSAGING_GROUPS),
		description: EVENTS_DESCRIPTION,
		displayOptions: BEFORE_VERSION_3,
	},
	dedupeProperty('events'),
	...mediaProperties(
		'Downloading inside the trigger delays the answer to 360dialog until the files are fetched; for busy numbers, leave this off and download in a 360dialog Normalize node instead.',
	),
	{
		displayName: 'Registration Mode',
		name: 'registrationMode',
		type: 'options',
		default: 'replace',
		options: [
			{
				name: 'Replace Number Webhook',
				value: 'replace',
				description:
					"Point the number's main webhook here; the previous URL is restored on unpublish",
			},
			{
				name: 'Add Extra Destination',
				value: 'extraDestination',
				description:
					'Cloud API only: one of up to 3 extra destinations, so several workflows can listen to one number',
			},
		],
	},
	{
		displayName:
			'360dialog sends events to extra destinations only after the main webhook answered 200.',
		name: 'extraDestinationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registrationMode: ['extraDestination'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		default: 'generatedHeader',
		options: [
			{
				name: 'Generated Header Secret',
				value: 'generatedHeader',
				description: `Register a random secret with 360dialog as the "${GENERATED_HEADER_NAME}" header and reject requests without it`,
			},
			{
				name: 'Custom Header',
				value: 'customHeader',
				description:
					'Check a header name and value you choose, e.g. for a webhook configured by hand',
			},
			{ name: 'None', value: 'none', description: 'Accept every request to this URL' },
		],
	},
	...customHeaderProperties('e.g. X-Webhook-Secret'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [ignoreEchoesOption, includeRawOption, includeHeadersOption, phoneNumberIdsOption],
	},
];
