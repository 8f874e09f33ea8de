import type { INodeProperties } from 'n8n-workflow';

import { MESSAGING_EVENT_GROUPS, type MessagingEventGroup } from '../shared/catalog';
import {
	customHeaderProperties,
	dedupeProperty,
	eventOptions,
	ignoreEchoesOption,
	includeHeadersOption,
	includeRawOption,
	phoneNumberIdsOption,
} from '../shared/descriptions';
import { ALL_EVENTS } from '../shared/filter';
import { mediaProperties } from '../shared/media';
import { GENERATED_HEADER_NAME } from '../shared/security';

const MESSAGING_GROUPS = (Object.keys(MESSAGING_EVENT_GROUPS) as MessagingEventGroup[]).filter(
	(group) => group !== 'partner',
);

export const messagingTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'A phone number has one main webhook URL. Publishing this workflow points the number here and puts the previous URL back when it is unpublished. The test URL and the production URL overwrite each other: while you listen for a test event, the published workflow receives nothing.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
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
					"Point the number's main webhook here; the previous URL is restored on deactivation",
			},
			{
				name: 'Add Extra Destination',
				value: 'extraDestination',
				description:
					'Cloud API only: add this workflow as one of up to 3 extra destinations, so several workflows can listen to one number. 360dialog sends an event to extra destinations only after the main webhook answered 200.',
			},
		],
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
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [ALL_EVENTS],
		options: eventOptions(MESSAGING_GROUPS),
		description:
			'Which events start the workflow. Others are answered with 200 and start no execution: status updates alone are about three times the inbound messages.',
	},
	dedupeProperty('events'),
	...mediaProperties(
		'Downloading inside the trigger delays the answer to 360dialog until the files are fetched; for busy numbers, leave this off and download in a 360dialog Normalize node instead.',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [ignoreEchoesOption, includeRawOption, includeHeadersOption, phoneNumberIdsOption],
	},
];
