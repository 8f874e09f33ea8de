import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MESSAGING_EVENT_GROUPS, type MessagingEventGroup } from '../shared/core/catalog';
import {
	eventOptions,
	ignoreEchoesOption,
	includeRawOption,
	phoneNumberIdsOption,
} from '../shared/ui/descriptions';
import { hasExpression, splitList } from '../shared/core/parameters';
import { ALL_EVENTS, messagingFilter } from '../shared/core/filter';
import { mediaProperties, mediaSettings, withMedia } from '../shared/n8n/media';
import { InvalidPayloadError, normalize, type Format } from '../shared/core/normalize';
import type { NormalizedEvent } from '../shared/core/schemas/normalized';
import { MESSAGING_CREDENTIAL } from '../shared/n8n/transport';

const ALL_GROUPS = Object.keys(MESSAGING_EVENT_GROUPS) as MessagingEventGroup[];

export class Dialog360Normalize implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Normalize',
		name: 'dialog360Normalize',
		icon: { light: 'file:../../icons/dialog360.svg', dark: 'file:../../icons/dialog360.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["format"] === "auto" ? "Auto-Detect" : $parameter["format"]}}',
		description:
			'Turn 360dialog webhook bodies (WhatsApp Cloud API, On-Premise API, Partner Hub) into one item per event',
		defaults: { name: '360dialog Normalize' },
		usableAsTool: true,
		credentials: [
			{
				name: MESSAGING_CREDENTIAL,
				required: true,
				displayOptions: { show: { downloadMedia: [true] } },
			},
		],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Body Field',
				name: 'bodyField',
				type: 'string',
				default: 'body',
				description:
					'The item field that holds the webhook body. n8n\'s Webhook node puts it in "body". When an item has no such field, the whole item is used.',
			},
			{
				displayName: 'Payload Format',
				name: 'format',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Auto-Detect', value: 'auto', description: 'Recognise the format from the body' },
					{
						name: 'Cloud API',
						value: 'cloud',
						description: 'WhatsApp Cloud API (object: whatsapp_business_account)',
					},
					{
						name: 'On-Premise API',
						value: 'on_premise',
						description: 'Legacy On-Premise API (top-level messages, statuses, errors)',
					},
					{
						name: 'Partner Hub',
						value: 'partner',
						description: '360dialog Partner Hub events ({ID, event, data})',
					},
				],
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: [ALL_EVENTS],
				options: eventOptions(ALL_GROUPS),
				description: 'Which events to output. Others are dropped.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: false,
				description:
					'Whether to leave out the fields that are empty (null) for this event, and the raw payload, so that an item shows only what arrived. Off, every item has every field of its kind, which expressions and later nodes can rely on.',
			},
			...mediaProperties('The 360dialog API credential of the number is used to fetch the files.'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [ignoreEchoesOption, includeRawOption, phoneNumberIdsOption],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const media = mediaSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
		// Parameters are read once unless one is an expression: on 10,000 items, reading them per
		// item cost more than normalizing.
		const fixed = hasExpression(this.getNode().parameters) ? undefined : settingsFor(this, 0);

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const { bodyField, format, includeRaw, keep, simplify } =
					fixed ?? settingsFor(this, itemIndex);
				const json = items[itemIndex].json;
				const body = bodyField && bodyField in json ? json[bodyField] : json;
				const events: Array<{ event: NormalizedEvent; item: INodeExecutionData }> = [];
				for (const event of normalize(body, { format, includeRaw })) {
					if (keep(event))
						events.push({
							event,
							item: {
								json: simplify ? simplified(event) : (event as unknown as IDataObject),
								pairedItem: { item: itemIndex },
							},
						});
				}
				const results = media
					? await withMedia(this, events, media)
					: events.map(({ item }) => item);
				// A loop, not push(...results): one body can hold more items than a call takes arguments.
				for (const result of results) output.push(result);
			} catch (error) {
				const problem =
					error instanceof InvalidPayloadError
						? new NodeOperationError(this.getNode(), error.message, {
								itemIndex,
								description: error.hint,
							})
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (this.continueOnFail()) {
					output.push({
						json: {
							error: problem.message,
							description: problem.description ?? null,
							path: error instanceof InvalidPayloadError ? error.path : null,
						},
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw problem;
			}
		}
		return [output];
	}
}

/** The node's parameters for one item, with the event filter compiled. */
function settingsFor(context: IExecuteFunctions, itemIndex: number) {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		bodyField: context.getNodeParameter('bodyField', itemIndex, 'body') as string,
		format: context.getNodeParameter('format', itemIndex, 'auto') as Format | 'auto',
		includeRaw: options.includeRaw === true,
		simplify: context.getNodeParameter('simplify', itemIndex, false) as boolean,
		keep: messagingFilter({
			events: context.getNodeParameter('events', itemIndex, [ALL_EVENTS]) as string[],
			phoneNumberIds: splitList(options.phoneNumberIds as string | undefined),
			ignoreEchoes: options.ignoreEchoes === true,
		}),
	};
}

/**
 * Simplify: the event without its null fields and without `raw`, keys in the same order. Only
 * top-level fields go; nested objects (media, context, contacts as sent) stay as they are.
 */
export function simplified(event: NormalizedEvent): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(event)) {
		if (value !== null && value !== undefined && key !== 'raw') result[key] = value as IDataObject[string];
	}
	return result;
}
