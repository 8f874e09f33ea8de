/**
 * The 360dialog node's resources and operations, defined once: the node's options and the
 * README's operations table derive from this list. `onPremise` says what the legacy On-Premise
 * API supports (`true`, or a sentence naming the limits).
 */
export const RESOURCES = {
	message: {
		name: 'Message',
		operations: {
			sendText: {
				name: 'Send Text',
				action: 'Send a text message',
				description: 'A text message, with an optional link preview.',
				onPremise: true,
			},
			sendMedia: {
				name: 'Send Media',
				action: 'Send an image, video, audio, document or sticker',
				description:
					'An image, video, audio, document or sticker, from a link, a media id, or an n8n binary property (uploaded first).',
				onPremise: true,
			},
			sendTemplate: {
				name: 'Send Template',
				action: 'Send a template message',
				description:
					'An approved template, picked from the live list, with its header, body and button parameters (positional or named).',
				onPremise: 'yes; the namespace is read from the template list.',
			},
			sendInteractive: {
				name: 'Send Interactive',
				action: 'Send buttons, a list, a link button or a flow',
				description:
					'Up to 3 reply buttons, a list with sections, a call-to-action URL button, or a WhatsApp Flow.',
				onPremise: 'reply buttons and lists only.',
			},
			sendReaction: {
				name: 'Send Reaction',
				action: 'React to a message with an emoji',
				description: 'An emoji reaction to a message (an empty emoji removes it).',
				onPremise: true,
			},
			sendLocation: {
				name: 'Send Location',
				action: 'Send a location',
				description: 'A map pin with an optional name and address.',
				onPremise: true,
			},
			sendContacts: {
				name: 'Send Contacts',
				action: 'Send contact cards',
				description: 'One or more contact cards (name, phone, email, company).',
				onPremise: true,
			},
			markAsRead: {
				name: 'Mark as Read',
				action: 'Mark a message as read',
				description:
					'Blue ticks on a received message, optionally with a typing indicator (shown up to 25 s or until the reply); the item passes through.',
				onPremise: 'yes, without the typing indicator.',
			},
		},
	},
	media: {
		name: 'Media',
		operations: {
			download: {
				name: 'Download',
				action: 'Download a media file',
				description:
					'A media id (e.g. {{ $json.media.id }}) into binary data, through the 360dialog host.',
				onPremise: true,
			},
			upload: {
				name: 'Upload',
				action: 'Upload a media file',
				description: 'An n8n binary property to 360dialog; returns the media id to send.',
				onPremise: true,
			},
			delete: {
				name: 'Delete',
				action: 'Delete a media file',
				description: 'An uploaded media file, by id.',
				onPremise: true,
			},
		},
	},
	template: {
		name: 'Template',
		operations: {
			list: {
				name: 'List',
				action: 'List templates',
				description: "The number's message templates, filtered by status and category.",
				onPremise: true,
			},
			get: {
				name: 'Get',
				action: 'Get a template',
				description: 'One template by name (and language), with its components.',
				onPremise: true,
			},
		},
	},
} as const;

export type Resource = keyof typeof RESOURCES;
export type Operation = {
	[R in Resource]: keyof (typeof RESOURCES)[R]['operations'];
}[Resource];
