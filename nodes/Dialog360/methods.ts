import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import { TEMPLATES_PATH } from '../shared/core/actions/bodies';
import { matchesFilters, readTemplates, templateParameters } from '../shared/core/actions/templates';
import { apiCall, connection } from './request';

/** The number's templates, live from 360dialog. */
async function loadTemplates(ctx: ILoadOptionsFunctions) {
	const link = await connection(ctx, ctx.getCurrentNodeParameter('api') as string);
	return readTemplates(
		await apiCall(ctx, link, { method: 'GET', path: TEMPLATES_PATH, qs: { limit: 1000 } }),
	);
}

const chosenTemplate = (ctx: ILoadOptionsFunctions): string =>
	String(ctx.getCurrentNodeParameter('template', { extractValue: true }) ?? '');

/** Template → From List: approved templates, one entry per name, searchable. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const templates = (await loadTemplates(this)).filter((template) =>
		matchesFilters(template, { statuses: ['approved'], name: filter }),
	);
	const byName = new Map<string, string[]>();
	for (const template of templates)
		byName.set(template.name, [...(byName.get(template.name) ?? []), template.language]);
	return {
		results: [...byName.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([name, languages]) => ({ name: `${name} (${languages.join(', ')})`, value: name })),
	};
}

/** Language: the languages the chosen template is approved in. */
export async function getTemplateLanguages(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const name = chosenTemplate(this);
	return (await loadTemplates(this))
		.filter(
			(template) => template.name === name && matchesFilters(template, { statuses: ['approved'] }),
		)
		.map((template) => ({ name: template.language, value: template.language }));
}

/** Template Parameters: one field per variable of the chosen template's header, body and buttons. */
export async function getTemplateParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const name = chosenTemplate(this);
	const language = String(this.getCurrentNodeParameter('language') ?? '');
	const template = (await loadTemplates(this)).find(
		(candidate) => candidate.name === name && (!language || candidate.language === language),
	);
	if (!template) return { fields: [], emptyFieldsNotice: 'Choose a template and a language first' };
	return {
		fields: templateParameters(template).map((parameter) => ({
			id: parameter.id,
			displayName: parameter.displayName,
			required: parameter.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		})),
		emptyFieldsNotice: 'This template has no parameters',
	};
}
