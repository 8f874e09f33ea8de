import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { RESOURCES, type Resource } from '../shared/core/actions/operations';
import { MEDIA_MESSAGE_TYPES } from '../shared/core/catalog';

const resourceNames = Object.keys(RESOURCES) as Resource[];

/** The Operation options of a resource, from the operations catalog. */
function operationOptions(resource: Resource): INodePropertyOptions[] {
	const operations = RESOURCES[resource].operations as Record<
		string,
		{ name: string; action: string; description: string; onPremise: true | string }
	>;
	return Object.entries(operations).map(([value, spec]) => ({
		name: spec.name,
		value,
		action: spec.action,
		description:
			spec.onPremise === true
				? spec.description
				: `${spec.description} On-Premise API: ${spec.onPremise}`,
	}));
}

const show = (resource: Resource, operations: string[]) => ({
	show: { resource: [resource], operation: operations },
});

const SENDS = [
	'sendText',
	'sendMedia',
	'sendTemplate',
	'sendInteractive',
	'sendReaction',
	'sendLocation',
	'sendContacts',
];

const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'message',
		options: resourceNames.map((resource) => ({ name: RESOURCES[resource].name, value: resource })),
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		default: 'sendText',
		options: operationOptions('message'),
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		default: 'download',
		options: operationOptions('media'),
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		default: 'list',
		options: operationOptions('template'),
	},
	{
		displayName: 'API',
		name: 'api',
		type: 'options',
		default: 'fromCredential',
		options: [
			{
				name: 'From Credential',
				value: 'fromCredential',
				description: 'On-Premise API for an On-Premise credential, otherwise Cloud API',
			},
			{ name: 'Cloud API', value: 'cloud', description: 'POST {base}/messages, {base}/media' },
			{
				name: 'On-Premise API',
				value: 'onPremise',
				description: 'POST {base}/v1/messages, {base}/v1/media (legacy)',
			},
		],
		description:
			'Which 360dialog API the number uses. Set it when the credential uses a Custom Base URL for an On-Premise number.',
	},

	// ------------------------------------------------------------------ every send
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '={{ $json.from ?? $json.fromUserId }}',
		displayOptions: show('message', SENDS),
		description:
			"The customer's phone number with country code (e.g. 4915112345678) or business-scoped user ID (e.g. US.13491208655302741918; Cloud API only). The default replies to the sender of a 360dialog Trigger item.",
	},
	{
		displayName: 'Reply To Message ID',
		name: 'replyTo',
		type: 'string',
		default: '={{ $json.messageId }}',
		displayOptions: show(
			'message',
			SENDS.filter((operation) => operation !== 'sendReaction'),
		),
		description:
			'Quote this message in the reply (context). The default quotes the message of a 360dialog Trigger item; clear it to send without a quote.',
	},

	// ------------------------------------------------------------------ text
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		displayOptions: show('message', ['sendText']),
		description: 'Up to 4096 characters; WhatsApp formatting (*bold*, _italic_) works',
	},
	{
		displayName: 'Preview URL',
		name: 'previewUrl',
		type: 'boolean',
		default: false,
		displayOptions: show('message', ['sendText']),
		description: 'Whether to show a preview of the first link in the text',
	},

	// ------------------------------------------------------------------ media
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		options: MEDIA_MESSAGE_TYPES.map((type) => ({ name: title(type), value: type })),
		displayOptions: show('message', ['sendMedia']),
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		default: 'link',
		options: [
			{ name: 'Link', value: 'link', description: 'A public HTTPS URL WhatsApp downloads' },
			{ name: 'Media ID', value: 'id', description: 'The ID of a file uploaded before' },
			{
				name: 'Binary Property',
				value: 'binary',
				description: 'A file in the item, uploaded to 360dialog first',
			},
		],
		displayOptions: show('message', ['sendMedia']),
	},
	{
		displayName: 'Link',
		name: 'mediaLink',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/receipt.pdf',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendMedia'], mediaSource: ['link'] },
		},
	},
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendMedia'], mediaSource: ['id'] },
		},
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		displayOptions: {
			show: {
				resource: ['message'],
				operation: ['sendMedia'],
				mediaType: ['image', 'video', 'document'],
			},
		},
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description: "The document's file name as the customer sees it; the binary's name when empty",
		displayOptions: {
			show: { resource: ['message'], operation: ['sendMedia'], mediaType: ['document'] },
		},
	},

	// ------------------------------------------------------------------ binary (send media, upload)
	...[
		{ resource: ['message'], operation: ['sendMedia'], mediaSource: ['binary'] },
		{ resource: ['media'], operation: ['upload'] },
	].map(
		(shown): INodeProperties => ({
			displayName: 'Input Binary Field',
			name: 'binaryProperty',
			type: 'string',
			required: true,
			default: 'data',
			hint: 'The name of the input binary field containing the file',
			displayOptions: { show: shown },
		}),
	),

	// ------------------------------------------------------------------ template
	{
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions: show('message', ['sendTemplate']),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. order_update' },
		],
		description: 'An approved template of the number',
	},
	{
		displayName: 'Language Name or ID',
		name: 'language',
		type: 'options',
		required: true,
		default: '',
		typeOptions: {
			loadOptionsMethod: 'getTemplateLanguages',
			loadOptionsDependsOn: ['template.value'],
		},
		displayOptions: show('message', ['sendTemplate']),
		description:
			'The template language, e.g. en_US. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Template Parameters',
		name: 'templateParameters',
		type: 'resourceMapper',
		default: { mappingMode: 'defineBelow', value: null },
		noDataExpression: true,
		typeOptions: {
			loadOptionsDependsOn: ['template.value', 'language'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateParameters',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
		displayOptions: show('message', ['sendTemplate']),
	},

	// ------------------------------------------------------------------ interactive
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		default: 'buttons',
		options: [
			{
				name: 'Reply Buttons',
				value: 'buttons',
				description: 'Up to 3 buttons the customer taps to answer',
			},
			{ name: 'List', value: 'list', description: 'A menu of up to 10 rows in sections' },
			{
				name: 'Call-to-Action URL',
				value: 'ctaUrl',
				description: 'One button that opens a link (Cloud API only)',
			},
			{
				name: 'Flow',
				value: 'flow',
				description: 'A button that opens a WhatsApp Flow (Cloud API only)',
			},
		],
		displayOptions: show('message', ['sendInteractive']),
	},
	{
		displayName: 'Header',
		name: 'header',
		type: 'string',
		default: '',
		description: 'Optional header text',
		displayOptions: show('message', ['sendInteractive']),
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		displayOptions: show('message', ['sendInteractive']),
	},
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		displayOptions: show('message', ['sendInteractive']),
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: 3 },
		default: {},
		placeholder: 'Add Button',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['buttons'] },
		},
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Comes back as reply.ID when tapped',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 20 characters',
					},
				],
			},
		],
	},
	{
		displayName: 'Button Text',
		name: 'buttonText',
		type: 'string',
		required: true,
		default: 'Choose',
		description: 'The button that opens the list (up to 20 characters)',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['list'] },
		},
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Row',
		description: 'Rows with the same Section form one section, in the order given',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['list'] },
		},
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{ displayName: 'Section', name: 'section', type: 'string', default: '' },
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Comes back as reply.ID when chosen',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 24 characters',
					},
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Button Text',
		name: 'displayText',
		type: 'string',
		required: true,
		default: '',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['ctaUrl'] },
		},
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/order/123',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['ctaUrl'] },
		},
	},
	{
		displayName: 'Flow ID',
		name: 'flowId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['flow'] },
		},
	},
	{
		displayName: 'Button Text',
		name: 'flowCta',
		type: 'string',
		required: true,
		default: 'Open',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['flow'] },
		},
	},
	{
		displayName: 'Flow Token',
		name: 'flowToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Optional: identifies this flow session in your endpoint',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['flow'] },
		},
	},
	{
		displayName: 'First Screen',
		name: 'flowScreen',
		type: 'string',
		default: '',
		description: 'Optional: the screen to open, for flows without an endpoint',
		displayOptions: {
			show: { resource: ['message'], operation: ['sendInteractive'], interactiveType: ['flow'] },
		},
	},

	// ------------------------------------------------------------------ reaction, mark as read
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '={{ $json.messageId }}',
		displayOptions: show('message', ['sendReaction', 'markAsRead']),
		description:
			'The received message (wamid. on Cloud API). The default reads the 360dialog Trigger item.',
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		description: 'One emoji; empty removes an earlier reaction',
		displayOptions: show('message', ['sendReaction']),
	},
	{
		displayName: 'Typing Indicator',
		name: 'typingIndicator',
		type: 'boolean',
		default: false,
		displayOptions: show('message', ['markAsRead']),
		description:
			'Whether to also show "typing…" to the customer until the reply is sent or 25 seconds pass (Cloud API only)',
	},

	// ------------------------------------------------------------------ location
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { numberPrecision: 6 },
		displayOptions: show('message', ['sendLocation']),
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { numberPrecision: 6 },
		displayOptions: show('message', ['sendLocation']),
	},
	{
		displayName: 'Name',
		name: 'locationName',
		type: 'string',
		default: '',
		displayOptions: show('message', ['sendLocation']),
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		displayOptions: show('message', ['sendLocation']),
	},

	// ------------------------------------------------------------------ contacts
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Contact',
		displayOptions: show('message', ['sendContacts']),
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
					},
					{ displayName: 'Company', name: 'company', type: 'string', default: '' },
				],
			},
		],
	},

	// ------------------------------------------------------------------ media resource
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		required: true,
		default: '={{ $json.media?.id }}',
		displayOptions: show('media', ['download', 'delete']),
		description: 'The default reads the media of a 360dialog Trigger item',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryProperty',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: show('media', ['download']),
	},

	// ------------------------------------------------------------------ template resource
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		default: ['approved'],
		options: ['approved', 'pending', 'rejected', 'paused', 'disabled'].map((status) => ({
			name: title(status),
			value: status,
		})),
		description: 'Only templates with these statuses; none selected means all',
		displayOptions: show('template', ['list']),
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'multiOptions',
		default: [],
		options: ['marketing', 'utility', 'authentication'].map((category) => ({
			name: title(category),
			value: category,
		})),
		description: 'Only templates in these categories; none selected means all',
		displayOptions: show('template', ['list']),
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('template', ['get']),
	},
	{
		displayName: 'Template Language',
		name: 'templateLanguage',
		type: 'string',
		default: '',
		placeholder: 'e.g. en_US',
		description: 'Empty gives the first language found',
		displayOptions: show('template', ['get']),
	},

	// ------------------------------------------------------------------ options
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback Data',
				name: 'bizOpaqueCallbackData',
				type: 'string',
				default: '',
				description:
					"Up to 512 characters that come back as the status items' bizOpaqueCallbackData, to match statuses to your records (Cloud API only)",
				displayOptions: { show: { '/resource': ['message'], '/operation': SENDS } },
			},
			{
				displayName: 'Components (JSON)',
				name: 'componentsJson',
				type: 'json',
				default: '[]',
				description:
					'Template components written by hand (e.g. carousels); when set, they replace Template Parameters',
				displayOptions: { show: { '/resource': ['message'], '/operation': ['sendTemplate'] } },
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 1, maxValue: 20 },
				description:
					'How many items to process at once. 1 sends one after another, which respects 360dialog rate limits; raise it for large batches within your throughput.',
			},
			{
				displayName: 'Namespace',
				name: 'namespace',
				type: 'string',
				default: '',
				description:
					'On-Premise API: the template namespace; read from the template list when empty',
				displayOptions: { show: { '/resource': ['message'], '/operation': ['sendTemplate'] } },
			},
			{
				displayName: 'Recipient Type',
				name: 'recipientType',
				type: 'options',
				default: 'auto',
				options: [
					{
						name: 'Auto-Detect',
						value: 'auto',
						description:
							'A user ID looks like US.13491208655302741918, anything else is a phone number',
					},
					{ name: 'Phone Number', value: 'phone' },
					{ name: 'Business-Scoped User ID', value: 'userId' },
				],
				displayOptions: { show: { '/resource': ['message'], '/operation': SENDS } },
			},
		],
	},
];
