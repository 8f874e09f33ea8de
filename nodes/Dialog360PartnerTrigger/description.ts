import type { INodeProperties } from 'n8n-workflow';

import {
	customHeaderProperties,
	dedupeProperty,
	includeHeadersOption,
	includeRawOption,
	PARTNER_PRESET_OPTIONS,
	partnerEventOptions,
	severityOptions,
} from '../shared/ui/descriptions';

export const partnerTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Publishing takes over the partner webhook until unpublished; a test URL does too.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'preset',
		type: 'options',
		default: 'all',
		options: PARTNER_PRESET_OPTIONS,
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
		displayName: 'Minimum Severity',
		name: 'minSeverity',
		type: 'options',
		default: 'info',
		description:
			'Drop events below this severity, e.g. Critical to be alerted only on violations, bans and RED quality',
		options: severityOptions((event) => event.startsWith('partner.')),
	},
	dedupeProperty('events whose ID was'),
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeRawOption, includeHeadersOption],
	},
];
