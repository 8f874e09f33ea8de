import type { INodeProperties } from 'n8n-workflow';

import {
	customHeaderProperties,
	dedupeProperty,
	includeHeadersOption,
	includeRawOption,
	partnerEventOptions,
} from '../shared/descriptions';

export const partnerTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'A partner has one webhook URL. Publishing this workflow takes it over until the workflow is unpublished, when the previous URL is put back. The test URL and the production URL overwrite each other.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Header Authentication',
		name: 'authentication',
		type: 'options',
		default: 'none',
		description:
			'How requests are authenticated. The signature is checked whenever the credential has a Webhook Signing Secret; a custom header adds a second check, for partners who set one in the Partner Hub.',
		options: [
			{
				name: 'Signature If Secret Set',
				value: 'none',
				description:
					'Check x-360dialog-signature when the credential has a signing secret; without one, accept unsigned requests',
			},
			{
				name: 'Signature Required',
				value: 'signatureRequired',
				description:
					'Refuse every request without a valid x-360dialog-signature; publishing fails while the credential has no signing secret',
			},
			{
				name: 'Custom Header',
				value: 'customHeader',
				description: 'Also require a header name and value you set in the Partner Hub',
			},
		],
	},
	{
		displayName:
			'Without a Webhook Signing Secret in the credential, anyone who knows this URL can start the workflow. Add the secret, or choose Signature Required.',
		name: 'unsignedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
	},
	...customHeaderProperties('e.g. X-Partner-Auth'),
	{
		displayName: 'Events',
		name: 'preset',
		type: 'options',
		default: 'all',
		options: [
			{
				name: 'Alerts Only',
				value: 'alerts',
				description:
					'Account violations, restrictions and bans, quality drops, paused or disabled templates, and flow endpoint errors',
			},
			{
				name: 'All Events',
				value: 'all',
				description: 'Every event, including names 360dialog adds later',
			},
			{
				name: 'Channel Lifecycle',
				value: 'lifecycle',
				description: 'Clients and channels: created, live, permissions, cancellations',
			},
			{ name: 'Custom', value: 'custom', description: 'Pick the events' },
			{
				name: 'Templates',
				value: 'templates',
				description: 'Template status, quality and category changes',
			},
		],
	},
	{
		displayName:
			'Pick at least one event name below: with none, the trigger never starts the workflow.',
		name: 'customNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { preset: ['custom'] } },
	},
	{
		displayName: 'Event Names',
		name: 'events',
		type: 'multiOptions',
		default: [],
		options: partnerEventOptions(),
		displayOptions: { show: { preset: ['custom'] } },
	},
	{
		displayName: 'Other Event Names',
		name: 'otherEvents',
		type: 'string',
		default: '',
		placeholder: 'e.g. channel_status_changed, waba_template_paused',
		description:
			'More event names, comma-separated, for events 360dialog adds later. Matching ignores case.',
		displayOptions: { hide: { preset: ['all'] } },
	},
	{
		displayName: 'Only At Least',
		name: 'minSeverity',
		type: 'options',
		default: 'info',
		description:
			'Drop events below this severity, e.g. Critical to be alerted only on violations, bans and RED quality',
		options: [
			{ name: 'Info (Everything)', value: 'info' },
			{ name: 'Warning', value: 'warning' },
			{ name: 'Critical', value: 'critical' },
		],
	},
	dedupeProperty('events whose ID was'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeRawOption, includeHeadersOption],
	},
];
