/**
 * Message templates: reading 360dialog's template list, the parameters a template asks for, and
 * the `components` a template send carries. A parameter is named by where it goes, so the same
 * key works whether the value came from the node's parameter form or from an expression:
 *
 * - `header.text.<variable>`, `header.image` / `header.video` / `header.document` (a link or media id)
 * - `body.<variable>` (`body.1` positional, `body.customer_name` named)
 * - `button.<index>.url`, `button.<index>.quick_reply` (payload), `button.<index>.copy_code`
 */
import { isObject, str } from '../normalize/read';

type Json = Record<string, unknown>;

export interface TemplateDefinition {
	name: string;
	language: string;
	status: string | null;
	category: string | null;
	namespace: string | null;
	id: string | null;
	components: Json[];
	/** The template as 360dialog returned it. */
	raw: Json;
}

export interface TemplateParameter {
	id: string;
	displayName: string;
	required: boolean;
}

/** A non-empty text, else null. */
const text = (value: unknown): string | null => str(value) || null;

/** Templates from `GET /v1/configs/templates` (`waba_templates`; Meta's `data` also accepted). */
export function readTemplates(response: unknown): TemplateDefinition[] {
	const body = isObject(response) ? response : {};
	const list = Array.isArray(body.waba_templates)
		? body.waba_templates
		: Array.isArray(body.data)
			? body.data
			: [];
	return list.filter(isObject).flatMap((raw) => {
		const name = text(raw.name);
		if (name === null) return [];
		return [
			{
				name,
				language: text(raw.language) ?? '',
				status: text(raw.status),
				category: text(raw.category),
				namespace: text(raw.namespace),
				id: text(raw.id) ?? text(raw.external_id),
				components: Array.isArray(raw.components) ? raw.components.filter(isObject) : [],
				raw,
			},
		];
	});
}

/** Whether a template passes the List filters (statuses and categories compared without case). */
export function matchesFilters(
	template: TemplateDefinition,
	filters: { statuses?: string[]; categories?: string[]; name?: string },
): boolean {
	const within = (value: string | null, allowed?: string[]) =>
		!allowed ||
		allowed.length === 0 ||
		allowed.some((entry) => entry.toUpperCase() === (value ?? '').toUpperCase());
	const name = filters.name?.trim().toLowerCase();
	return (
		within(template.status, filters.statuses) &&
		within(template.category, filters.categories) &&
		(!name || template.name.toLowerCase().includes(name))
	);
}

/** `{{1}}`, `{{ customer_name }}` → `['1', 'customer_name']`, each once, in order. */
export function variablesOf(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	const names = [...value.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1]);
	return [...new Set(names)];
}

const MEDIA_HEADERS = ['IMAGE', 'VIDEO', 'DOCUMENT'];

/** The parameters a template asks for, in the order WhatsApp reads them. */
export function templateParameters(
	template: Pick<TemplateDefinition, 'components'>,
): TemplateParameter[] {
	const out: TemplateParameter[] = [];
	for (const component of template.components) {
		const type = String(component.type ?? '').toUpperCase();
		if (type === 'HEADER') {
			const format = String(component.format ?? 'TEXT').toUpperCase();
			if (MEDIA_HEADERS.includes(format)) {
				const kind = format.toLowerCase();
				out.push({
					id: `header.${kind}`,
					displayName: `Header ${kind} (link or media ID)`,
					required: true,
				});
			}
			for (const variable of variablesOf(component.text))
				out.push({
					id: `header.text.${variable}`,
					displayName: `Header {{${variable}}}`,
					required: true,
				});
		} else if (type === 'BODY') {
			for (const variable of variablesOf(component.text))
				out.push({ id: `body.${variable}`, displayName: `Body {{${variable}}}`, required: true });
		} else if (type === 'BUTTONS' && Array.isArray(component.buttons)) {
			component.buttons.filter(isObject).forEach((button, index) => {
				const kind = String(button.type ?? '').toUpperCase();
				const label = text(button.text) ?? kind.toLowerCase();
				if (kind === 'URL' && variablesOf(button.url).length > 0)
					out.push({
						id: `button.${index}.url`,
						displayName: `Button "${label}" URL suffix`,
						required: true,
					});
				else if (kind === 'QUICK_REPLY')
					out.push({
						id: `button.${index}.quick_reply`,
						displayName: `Button "${label}" payload`,
						required: false,
					});
				else if (kind === 'COPY_CODE')
					out.push({ id: `button.${index}.copy_code`, displayName: 'Coupon code', required: true });
			});
		}
	}
	return out;
}

const textParameter = (variable: string, value: string): Json =>
	/^\d+$/.test(variable)
		? { type: 'text', text: value }
		: { type: 'text', parameter_name: variable, text: value };

const byVariable = (a: string, b: string) => {
	const [x, y] = [Number(a), Number(b)];
	return Number.isInteger(x) && Number.isInteger(y) ? x - y : 0;
};

/**
 * The `components` of a template send from parameter values keyed as above. Empty values are left
 * out (an optional quick-reply payload, say); keys of no known shape are an error.
 */
export function templateComponents(values: Record<string, unknown>): Json[] {
	const header: Json[] = [];
	const body: Array<[string, Json]> = [];
	const buttons = new Map<number, Json>();
	const headerText: Array<[string, Json]> = [];
	for (const [key, raw] of Object.entries(values)) {
		if (raw === undefined || raw === null || raw === '') continue;
		const value = String(raw);
		const [part, second, third] = key.split('.');
		if (part === 'header' && second === 'text' && third)
			headerText.push([third, textParameter(third, value)]);
		else if (part === 'header' && ['image', 'video', 'document'].includes(second) && !third)
			header.push({
				type: second,
				[second]: /^https?:\/\//i.test(value) ? { link: value } : { id: value },
			});
		else if (part === 'body' && second && !third) body.push([second, textParameter(second, value)]);
		else if (
			part === 'button' &&
			/^\d+$/.test(second) &&
			['url', 'quick_reply', 'copy_code'].includes(third)
		) {
			const parameter =
				third === 'url'
					? { type: 'text', text: value }
					: third === 'quick_reply'
						? { type: 'payload', payload: value }
						: { type: 'coupon_code', coupon_code: value };
			buttons.set(Number(second), {
				type: 'button',
				sub_type: third,
				index: second,
				parameters: [parameter],
			});
		} else {
			throw new Error(
				`Unknown template parameter "${key}": use header.text.<variable>, header.image, body.<variable> or button.<index>.url`,
			);
		}
	}
	const components: Json[] = [];
	const headerParameters = [
		...header,
		...headerText.sort(([a], [b]) => byVariable(a, b)).map(([, p]) => p),
	];
	if (headerParameters.length > 0)
		components.push({ type: 'header', parameters: headerParameters });
	if (body.length > 0)
		components.push({
			type: 'body',
			parameters: body.sort(([a], [b]) => byVariable(a, b)).map(([, p]) => p),
		});
	for (const index of [...buttons.keys()].sort((a, b) => a - b))
		components.push(buttons.get(index) as Json);
	return components;
}
