import type { INodeProperties } from 'n8n-workflow';

import { DEDUP_TTL_SECONDS } from '../shared/dedup';
import { includeRawOption, partnerEventOptions } from '../shared/descriptions';

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
			'The signature is always checked when the credential has a Webhook Signing Secret. A custom header adds a second check, for partners who set one on the webhook in the Partner Hub.',
		options: [
			{
				name: 'Signature Only',
				value: 'none',
				description: 'Check x-360dialog-signature if the credential has a signing secret',
			},
			{
				name: 'Custom Header',
				value: 'customHeader',
				description: 'Also require a header name and value you set in the Partner Hub',
			},
		],
	},
	{
		displayName: 'Header Name',
		name: 'headerName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. X-Partner-Auth',
		displayOptions: { show: { authentication: ['customHeader'] } },
	},
	{
		displayName: 'Header Value',
		name: 'headerValue',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: { show: { authentication: ['customHeader'] } },
	},
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
	{
		displayName: 'Skip Duplicate Deliveries',
		name: 'dedupe',
		type: 'boolean',
		default: true,
		description: `Whether to skip events whose ID was already received in the last ${DEDUP_TTL_SECONDS / 3600} hours. The memory lives in the workflow's static data, which n8n keeps only for published workflows.`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			includeRawOption,
			{
				displayName: 'Include Request Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers (secrets redacted) under `headers` on each item',
			},
		],
	},
];
