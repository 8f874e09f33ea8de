import { randomBytes } from 'crypto';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import {
	ActionInputError,
	buttonsInteractive,
	contactsMessage,
	ctaUrlInteractive,
	flowInteractive,
	interactiveMessage,
	listInteractive,
	locationMessage,
	markAsRead,
	mediaItemPath,
	mediaMessage,
	mediaUpload,
	MESSAGES_PATH,
	reactionMessage,
	sentMessage,
	templateMessage,
	TEMPLATES_PATH,
	textMessage,
	uploadedMediaId,
	type Addressing,
	type ContactCard,
	type ListSection,
	type RecipientType,
} from '../shared/core/actions/bodies';
import {
	matchesFilters,
	readTemplates,
	templateComponents,
	templateParameters,
	type TemplateDefinition,
} from '../shared/core/actions/templates';
import type { MediaMessageType } from '../shared/core/catalog';
import { extensionFor, MEDIA_TIMEOUT_MS, withMedia } from '../shared/n8n/media';
import type { NormalizedEvent } from '../shared/core/schemas/normalized';
import { apiCall, connection, type Connection } from './request';

type Json = Record<string, unknown>;

/** Everything one execution shares: the connection and the template list, fetched at most once. */
interface Run {
	ctx: IExecuteFunctions;
	link: Connection;
	templates?: Promise<TemplateDefinition[]>;
}

/** The node's execute(): each item in turn (or N at once), one output item per input item. */
export async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const run: Run = {
		ctx,
		link: await connection(ctx, ctx.getNodeParameter('api', 0, 'fromCredential') as string),
	};
	const concurrency = Math.max(
		1,
		Math.floor(Number((ctx.getNodeParameter('options', 0, {}) as IDataObject).concurrency ?? 1)),
	);
	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	const failures: Array<{ index: number; error: Error }> = [];
	const worker = async () => {
		while (next < items.length && failures.length === 0) {
			const index = next++;
			try {
				results[index] = (await runItem(run, index)).map((item) => ({
					...item,
					pairedItem: { item: index },
				}));
			} catch (caught) {
				const error = asNodeError(ctx, caught, index);
				if (!ctx.continueOnFail()) {
					failures.push({ index, error });
					continue;
				}
				results[index] = [{ json: errorJson(error), pairedItem: { item: index } }];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	// With several items in flight, the first failed input decides, as it would one by one.
	if (failures.length > 0) throw failures.sort((a, b) => a.index - b.index)[0].error;
	return [results.flat()];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ActionInputError)
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.hint,
		});
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** The item Continue On Fail puts out for a failed input. */
function errorJson(error: Error): IDataObject {
	const context = (error as NodeApiError).context ?? {};
	return {
		error: error.message,
		description: (error as NodeApiError).description ?? null,
		httpCode: (error as NodeApiError).httpCode ?? null,
		code: (context.code as number | undefined) ?? null,
		retryable: (context.retryable as boolean | undefined) ?? null,
		response: (context.response as IDataObject | undefined) ?? null,
	};
}

/** A string parameter, trimmed. */
const stringParam = (ctx: IExecuteFunctions, name: string, index: number, fallback = ''): string =>
	String(ctx.getNodeParameter(name, index, fallback) ?? '').trim();

function addressing(ctx: IExecuteFunctions, index: number, operation: string): Addressing {
	const options = ctx.getNodeParameter('options', index, {}) as IDataObject;
	return {
		recipient: stringParam(ctx, 'recipient', index),
		recipientType: (options.recipientType as RecipientType | undefined) ?? 'auto',
		replyTo: operation === 'sendReaction' ? undefined : stringParam(ctx, 'replyTo', index),
		bizOpaqueCallbackData: (options.bizOpaqueCallbackData as string | undefined) || undefined,
	};
}

async function runItem(run: Run, index: number): Promise<INodeExecutionData[]> {
	const { ctx } = run;
	const resource = ctx.getNodeParameter('resource', index) as string;
	const operation = ctx.getNodeParameter('operation', index) as string;
	if (resource === 'message') {
		if (operation === 'markAsRead') {
			const messageId = stringParam(ctx, 'messageId', index);
			const typing = ctx.getNodeParameter('typingIndicator', index, false) as boolean;
			const request = markAsRead(run.link.flavour, messageId, typing);
			await apiCall(ctx, run.link, {
				...request,
				body: request.body as IDataObject,
				itemIndex: index,
			});
			// The item goes on as it came, so the next node still reads the message (e.g. its media).
			const input = ctx.getInputData()[index];
			return [
				{ ...input, json: { ...input.json, messageId, read: true, typingIndicator: typing } },
			];
		}
		const address = addressing(ctx, index, operation);
		const { body, about } = await messageRequest(run, index, operation, address);
		const response = await apiCall(ctx, run.link, {
			method: 'POST',
			path: MESSAGES_PATH[run.link.flavour],
			body: body as IDataObject,
			about,
			itemIndex: index,
		});
		return [{ json: sendOutput(body, response) }];
	}
	if (resource === 'media') return await media(run, index, operation);
	return await templates(run, index, operation);
}

/** The message id and what was sent, for the next node. */
function sendOutput(body: Json, response: unknown): IDataObject {
	const context = body.context as { message_id?: string } | undefined;
	return {
		...sentMessage(response),
		type: body.type as string,
		to: (body.to as string | undefined) ?? null,
		recipient: (body.recipient as string | undefined) ?? null,
		replyTo: context?.message_id ?? null,
		bizOpaqueCallbackData: (body.biz_opaque_callback_data as string | undefined) ?? null,
		response: response as IDataObject,
	};
}

async function messageRequest(
	run: Run,
	index: number,
	operation: string,
	address: Addressing,
): Promise<{ body: Json; about?: string }> {
	const { ctx, link } = run;
	const flavour = link.flavour;
	switch (operation) {
		case 'sendText':
			return {
				body: textMessage(flavour, address, {
					body: ctx.getNodeParameter('text', index, '') as string,
					previewUrl: ctx.getNodeParameter('previewUrl', index, false) as boolean,
				}),
			};
		case 'sendMedia': {
			const type = ctx.getNodeParameter('mediaType', index) as MediaMessageType;
			const source = ctx.getNodeParameter('mediaSource', index) as string;
			let fileName = stringParam(ctx, 'fileName', index);
			let id: string | undefined;
			if (source === 'binary') {
				const uploaded = await upload(run, index);
				id = uploaded.mediaId;
				fileName ||= uploaded.fileName;
			} else if (source === 'id') id = stringParam(ctx, 'mediaId', index);
			return {
				body: mediaMessage(flavour, address, {
					type,
					id,
					link: source === 'link' ? stringParam(ctx, 'mediaLink', index) : undefined,
					caption: ['image', 'video', 'document'].includes(type)
						? stringParam(ctx, 'caption', index)
						: undefined,
					filename: fileName || undefined,
				}),
			};
		}
		case 'sendTemplate': {
			const name = String(
				ctx.getNodeParameter('template', index, '', { extractValue: true }) ?? '',
			).trim();
			const language = stringParam(ctx, 'language', index);
			const options = ctx.getNodeParameter('options', index, {}) as IDataObject;
			const components = templateComponentsFor(ctx, index, options);
			let namespace = (options.namespace as string | undefined) || null;
			if (flavour === 'onPremise' && !namespace)
				namespace = (await findTemplate(run, name, language, index))?.namespace ?? null;
			return {
				body: templateMessage(flavour, address, { name, language, namespace, components }),
				about: `template "${name}" (${language})`,
			};
		}
		case 'sendInteractive':
			return { body: interactiveMessage(flavour, address, interactive(ctx, index)) };
		case 'sendReaction':
			return {
				body: reactionMessage(flavour, address, {
					messageId: stringParam(ctx, 'messageId', index),
					emoji: ctx.getNodeParameter('emoji', index, '') as string,
				}),
			};
		case 'sendLocation':
			return {
				body: locationMessage(flavour, address, {
					latitude: Number(ctx.getNodeParameter('latitude', index)),
					longitude: Number(ctx.getNodeParameter('longitude', index)),
					name: stringParam(ctx, 'locationName', index) || undefined,
					address: stringParam(ctx, 'address', index) || undefined,
				}),
			};
		case 'sendContacts': {
			const cards = (ctx.getNodeParameter('contacts.contact', index, []) as ContactCard[]) ?? [];
			return { body: contactsMessage(flavour, address, cards) };
		}
	}
	throw new ActionInputError(`Unknown operation "${operation}"`);
}

function templateComponentsFor(
	ctx: IExecuteFunctions,
	index: number,
	options: IDataObject,
): Json[] {
	const manual = options.componentsJson;
	if (manual !== undefined && manual !== '' && manual !== '[]') {
		const parsed = typeof manual === 'string' ? parseJson(manual) : manual;
		if (!Array.isArray(parsed))
			throw new ActionInputError(
				'Components (JSON) must be a JSON list of template components, e.g. [{"type": "body", "parameters": [...]}]',
			);
		return parsed as Json[];
	}
	const values = (ctx.getNodeParameter('templateParameters.value', index, {}) ?? {}) as Json;
	try {
		return templateComponents(values);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex: index });
	}
}

/** The parsed text, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function interactive(ctx: IExecuteFunctions, index: number): Json {
	const frame = {
		body: ctx.getNodeParameter('body', index, '') as string,
		header: stringParam(ctx, 'header', index) || undefined,
		footer: stringParam(ctx, 'footer', index) || undefined,
	};
	const kind = ctx.getNodeParameter('interactiveType', index) as string;
	if (kind === 'buttons') {
		const buttons = ctx.getNodeParameter('buttons.button', index, []) as Array<{
			id: string;
			title: string;
		}>;
		return buttonsInteractive({ ...frame, buttons });
	}
	if (kind === 'list') {
		const rows = ctx.getNodeParameter('rows.row', index, []) as Array<{
			section?: string;
			id: string;
			title: string;
			description?: string;
		}>;
		const sections: ListSection[] = [];
		for (const row of rows) {
			const sectionTitle = row.section || undefined;
			let section = sections.find((candidate) => candidate.title === sectionTitle);
			if (!section) sections.push((section = { title: sectionTitle, rows: [] }));
			section.rows.push({
				id: row.id,
				title: row.title,
				description: row.description || undefined,
			});
		}
		return listInteractive({
			...frame,
			buttonText: stringParam(ctx, 'buttonText', index),
			sections,
		});
	}
	if (kind === 'ctaUrl')
		return ctaUrlInteractive({
			...frame,
			displayText: stringParam(ctx, 'displayText', index),
			url: stringParam(ctx, 'url', index),
		});
	return flowInteractive({
		...frame,
		flowId: stringParam(ctx, 'flowId', index),
		flowCta: stringParam(ctx, 'flowCta', index),
		flowToken: stringParam(ctx, 'flowToken', index) || undefined,
		screen: stringParam(ctx, 'flowScreen', index) || undefined,
	});
}

async function upload(
	run: Run,
	index: number,
): Promise<{ mediaId: string; fileName: string; mimeType: string; fileSize: number }> {
	const { ctx, link } = run;
	const property = stringParam(ctx, 'binaryProperty', index, 'data');
	const binary = ctx.helpers.assertBinaryData(index, property);
	const data = await ctx.helpers.getBinaryDataBuffer(index, property);
	const mimeType = binary.mimeType || 'application/octet-stream';
	const fileName = binary.fileName || `file.${extensionFor(mimeType)}`;
	const request = mediaUpload(link.flavour, `----n8n360dialog${randomBytes(12).toString('hex')}`, {
		fileName,
		mimeType,
		data,
	});
	const response = await apiCall(ctx, link, {
		method: 'POST',
		path: request.path,
		body: request.body,
		contentType: request.contentType,
		itemIndex: index,
	});
	const mediaId = uploadedMediaId(response);
	if (!mediaId)
		throw new NodeApiError(ctx.getNode(), (response ?? {}) as JsonObject, {
			message: '360dialog accepted the upload but returned no media ID',
			itemIndex: index,
		});
	return { mediaId, fileName, mimeType, fileSize: data.length };
}

/** Largest file Download takes: WhatsApp media are at most 100 MB. */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

async function media(run: Run, index: number, operation: string): Promise<INodeExecutionData[]> {
	const { ctx, link } = run;
	if (operation === 'upload') return [{ json: await upload(run, index) }];
	const mediaId = stringParam(ctx, 'mediaId', index);
	if (!mediaId)
		throw new ActionInputError(
			'No media ID',
			'Map one, e.g. {{ $json.media.id }} after a 360dialog Trigger.',
		);
	if (operation === 'delete') {
		const response = await apiCall(ctx, link, {
			method: 'DELETE',
			path: mediaItemPath(link.flavour, mediaId),
			itemIndex: index,
		});
		return [{ json: { mediaId, deleted: true, response: response as IDataObject } }];
	}
	const property = stringParam(ctx, 'outputBinaryProperty', index, 'data') || 'data';
	// The triggers' downloader (host swap included) takes events: a media id is a message of which
	// only the media is known. It reports a failure as mediaError, which is this node's error.
	const event = {
		kind: 'message',
		source: link.flavour === 'onPremise' ? 'on_premise' : 'cloud',
		messageId: null,
		media: { id: mediaId, mimeType: null, filename: null },
	} as unknown as NormalizedEvent;
	const [downloaded] = await withMedia(ctx, [{ event, item: { json: {} } }], {
		binaryProperty: property,
		maxBytes: MAX_MEDIA_BYTES,
		timeoutMs: MEDIA_TIMEOUT_MS,
	});
	const binary = downloaded.binary?.[property];
	if (binary === undefined) {
		const problem = String(downloaded.json.mediaError ?? `Could not download media ${mediaId}`);
		throw new NodeApiError(
			ctx.getNode(),
			{ message: problem },
			{ message: problem, itemIndex: index },
		);
	}
	const input = ctx.getInputData()[index];
	return [
		{
			json: {
				...input.json,
				mediaId,
				mimeType: binary.mimeType,
				fileName: binary.fileName ?? null,
			},
			binary: { ...(input.binary ?? {}), [property]: binary },
		},
	];
}

function listTemplates(run: Run, index: number): Promise<TemplateDefinition[]> {
	run.templates ??= apiCall(run.ctx, run.link, {
		method: 'GET',
		path: TEMPLATES_PATH,
		qs: { limit: 1000 },
		itemIndex: index,
	}).then(readTemplates);
	return run.templates;
}

async function findTemplate(
	run: Run,
	name: string,
	language: string,
	index: number,
): Promise<TemplateDefinition | undefined> {
	const all = await listTemplates(run, index);
	return all.find(
		(template) => template.name === name && (!language || template.language === language),
	);
}

const templateJson = (template: TemplateDefinition): IDataObject => ({
	name: template.name,
	language: template.language,
	status: template.status,
	category: template.category,
	namespace: template.namespace,
	id: template.id,
	parameters: templateParameters(template).map((parameter) => parameter.id),
	components: template.components as IDataObject[],
});

async function templates(
	run: Run,
	index: number,
	operation: string,
): Promise<INodeExecutionData[]> {
	const { ctx } = run;
	if (operation === 'list') {
		const statuses = ctx.getNodeParameter('statuses', index, []) as string[];
		const categories = ctx.getNodeParameter('categories', index, []) as string[];
		return (await listTemplates(run, index))
			.filter((template) => matchesFilters(template, { statuses, categories }))
			.map((template) => ({ json: templateJson(template) }));
	}
	const name = stringParam(ctx, 'templateName', index);
	const language = stringParam(ctx, 'templateLanguage', index);
	const found = await findTemplate(run, name, language, index);
	if (!found)
		throw new ActionInputError(
			`The number has no template "${name}"${language ? ` in ${language}` : ''}`,
			'Check the name and language with Template → List.',
		);
	return [{ json: templateJson(found) }];
}
