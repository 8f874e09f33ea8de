import { readFileSync, writeFileSync } from 'fs';
import { resolve } from 'path';
import type { z } from 'zod';

import {
	CALL_EVENTS,
	CHANGE_FIELDS,
	MESSAGE_TYPES,
	MESSAGING_EVENT_GROUPS,
	NormalizedEventSchema,
	PARTNER_ALERT_RULES,
	PARTNER_EVENT_GROUPS,
	partnerEventName,
	SEVERITY_RULES,
	STATUS_VALUES,
	UNCONFIRMED_PARTNER_EVENTS,
	UNDOCUMENTED_CHANGE_FIELDS,
	USER_ACTION_TYPES,
	type SeverityRule,
} from '../../index';
import { RESOURCES } from '../../nodes/shared/core/actions/operations';
import { WHATSAPP_ERRORS } from '../../nodes/shared/core/errorCatalog';

/**
 * The README's reference tables, rendered from the catalog and the zod schemas so that they can
 * never drift: `npm run docs` rewrites them, and a unit test fails when the README is stale.
 */

export const README_PATH = resolve(__dirname, '..', '..', 'README.md');

type Shape = Record<string, z.ZodTypeAny>;

function typeName(schema: z.ZodTypeAny): string {
	const def = schema._def as { typeName: string; innerType?: z.ZodTypeAny; type?: z.ZodTypeAny; values?: string[]; value?: unknown };
	switch (def.typeName) {
		case 'ZodNullable':
			return `${typeName(def.innerType as z.ZodTypeAny)} \\| null`;
		case 'ZodOptional':
			return `${typeName(def.innerType as z.ZodTypeAny)} (optional)`;
		case 'ZodString':
			return 'string';
		case 'ZodNumber':
			return 'number';
		case 'ZodBoolean':
			return 'boolean';
		case 'ZodEnum':
			return (def.values ?? []).map((value) => `\`${value}\``).join(' \\| ');
		case 'ZodLiteral':
			return `\`${String(def.value)}\``;
		case 'ZodArray':
			return `${typeName(def.type as z.ZodTypeAny).replace(' \\| null', '')}[]`;
		case 'ZodObject':
		case 'ZodRecord':
			return 'object';
		default:
			return 'any';
	}
}

const describe = (schema: z.ZodTypeAny): string => (schema.description ?? '').replace(/\|/g, '\\|');

function fieldRows(shape: Shape, skip: Set<string>): string[] {
	return Object.entries(shape)
		.filter(([name]) => !skip.has(name))
		.map(([name, schema]) => `| \`${name}\` | ${typeName(schema)} | ${describe(schema)} |`);
}

function kindsOf(schema: z.ZodTypeAny): string[] {
	const def = schema._def as { typeName: string; value?: string; values?: string[] };
	return def.typeName === 'ZodLiteral' ? [def.value as string] : (def.values ?? []);
}

export function renderFields(): string {
	const options = NormalizedEventSchema.options as unknown as Array<z.ZodObject<Shape>>;
	const common = Object.keys(options[0].shape).filter((key) => options.every((option) => key in option.shape));
	const commonSet = new Set(common);
	const kinds = options.flatMap((option) => kindsOf(option.shape.kind)).map((kind) => `\`${kind}\``);
	const lines = ['#### Every item', '', '| field | type | meaning |', '| --- | --- | --- |'];
	lines.push(`| \`kind\` | ${kinds.join(' \\| ')} | The shape of the item: the sections below. |`);
	lines.push(...fieldRows(Object.fromEntries(common.map((key) => [key, options[0].shape[key]])), new Set(['kind'])));
	for (const option of options) {
		const kinds = kindsOf(option.shape.kind).map((kind) => `\`${kind}\``).join(', ');
		lines.push('', `#### kind ${kinds}`, '', '| field | type | meaning |', '| --- | --- | --- |');
		lines.push(...fieldRows(option.shape, commonSet));
	}
	return lines.join('\n');
}

export function renderEvents(): string {
	const lines = ['| event | kind | from |', '| --- | --- | --- |'];
	lines.push(`| ${MESSAGE_TYPES.map((type) => `\`message.${type}\``).join(', ')} | \`message\` | Cloud \`messages[]\`, On-Premise \`messages[]\` (\`voice\` becomes \`message.audio\`) |`);
	lines.push(`| ${STATUS_VALUES.map((status) => `\`status.${status}\``).join(', ')} | \`status\` | Cloud \`statuses[]\`, On-Premise \`statuses[]\` |`);
	lines.push('| `error` | `error` | Cloud `value.errors[]` (any field), On-Premise top-level `errors[]` |');
	lines.push(`| ${USER_ACTION_TYPES.map((type) => `\`user_action.${type}\``).join(', ')} | \`user_action\` | Cloud field \`messages\`, one item per \`user_actions[]\` element (marketing message link clicks) |`);
	for (const [field, spec] of Object.entries(CHANGE_FIELDS)) {
		const split = 'split' in spec ? ` (one item per \`${spec.split}[]\` element)` : '';
		const typed = 'split' in spec && !('fixedEvent' in spec);
		const event = field === 'calls' ? CALL_EVENTS.map((name) => `\`call.${name}\``).join(', ') : typed ? `\`${spec.event}.<type>\`` : `\`${spec.event}\``;
		lines.push(`| ${event} | \`${spec.kind}\` | Cloud field \`${field}\`${split} |`);
	}
	lines.push('| `unknown` | `unknown` | a change field not listed here, an element that could not be read (with `path` and `problem`), or a body a trigger could not read |');
	for (const [field, what] of Object.entries(UNDOCUMENTED_CHANGE_FIELDS)) {
		lines.push(`| \`unknown\` | \`unknown\` | Cloud field \`${field}\`: ${what} Its payload is not publicly documented yet, so it stays \`unknown\` with \`field\` and \`value\`. |`);
	}
	const unconfirmed = new Set<string>(UNCONFIRMED_PARTNER_EVENTS);
	for (const group of Object.values(PARTNER_EVENT_GROUPS)) {
		const names = group.events.map((name) => `\`${partnerEventName(name)}\`${unconfirmed.has(name) ? ' (unconfirmed)' : ''}`);
		lines.push(`| ${names.join(', ')} | \`partner\` | Partner Hub: ${group.label} |`);
	}
	lines.push('| `partner.<any other name>` | `partner` | Partner Hub events 360dialog adds later |');
	return lines.join('\n');
}

export function renderGroups(): string {
	const lines = ['| filter group | matches |', '| --- | --- |'];
	for (const [name, group] of Object.entries(MESSAGING_EVENT_GROUPS)) {
		const matches = name === 'unknown'
			? 'message types, status values, user actions, call events and change fields the catalog does not list, and elements that could not be read (their items carry `path` and `problem`)'
			: group.prefixes.map((prefix) => `\`${prefix}${prefix.endsWith('.') ? '*' : ''}\``).join(', ');
		lines.push(`| ${group.label} | ${matches} |`);
	}
	return lines.join('\n');
}

const ruleRow = (rule: SeverityRule): string => {
	const when = rule.when ? `\`${rule.when.field}\` is ${rule.when.values.join(' or ')}` : 'always';
	return `| ${rule.events.map((event) => `\`${event}\``).join(', ')} | ${when} | **${rule.severity}** | ${rule.why} |`;
};

export function renderSeverity(): string {
	return ['| events | when | severity | why |', '| --- | --- | --- | --- |', ...SEVERITY_RULES.map(ruleRow), '| anything else | | info | |'].join('\n');
}

export function renderAlerts(): string {
	return ['| events | when | why |', '| --- | --- | --- |', ...PARTNER_ALERT_RULES.map((rule) => ruleRow(rule).replace(/ \| \*\*\w+\*\* \|/, ' |'))].join('\n');
}

export function renderOperations(): string {
	const lines = ['| resource | operation | what it does | On-Premise API |', '| --- | --- | --- | --- |'];
	for (const resource of Object.values(RESOURCES)) {
		for (const operation of Object.values(resource.operations) as Array<{ name: string; description: string; onPremise: true | string }>) {
			lines.push(`| ${resource.name} | **${operation.name}** | ${operation.description.replace(/\|/g, '\\|')} | ${operation.onPremise === true ? 'yes' : operation.onPremise} |`);
		}
	}
	return lines.join('\n');
}

export function renderErrors(): string {
	const rows = [...WHATSAPP_ERRORS].sort((a, b) => a.code - b.code);
	return ['| code | what it means, what to do | retry later? |', '| --- | --- | --- |', ...rows.map((row) => `| ${row.code} | ${row.meaning} | ${row.retryable ? 'yes' : 'no'} |`)].join('\n');
}

export const SECTIONS: Record<string, () => string> = {
	operations: renderOperations,
	errors: renderErrors,
	events: renderEvents,
	groups: renderGroups,
	fields: renderFields,
	severity: renderSeverity,
	alerts: renderAlerts,
	compat: renderCompat,
};

interface HostEntry {
	n8n: string;
	node: string;
	why?: string;
}

/** The n8n versions the package is tested on, from scripts/n8n-host.json (the one place they are named). */
export function renderCompat(): string {
	const config = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'scripts', 'n8n-host.json'), 'utf8')) as HostEntry & {
		compat: HostEntry[];
	};
	const rows = [
		`| ${config.n8n} | ${config.node} | \`npm run test:e2e\` (the whole suite), \`npm run bench:e2e\` | The version everything is developed and measured on. |`,
		...config.compat.map((entry) => `| ${entry.n8n} | ${entry.node} | \`npm run test:compat\` | ${entry.why ?? ''} |`),
	];
	return ['| n8n | Node.js | tested by | notes |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The README with every generated section replaced by its current rendering. */
export function renderReadme(readme: string): string {
	let result = readme;
	for (const [name, render] of Object.entries(SECTIONS)) {
		const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
		if (!pattern.test(result)) throw new Error(`README.md has no <!-- generated:${name} --> section`);
		result = result.replace(pattern, (_match, start: string, end: string) => `${start}${render()}\n${end}`);
	}
	return result;
}

export function updateReadme(): boolean {
	const current = readFileSync(README_PATH, 'utf8');
	const next = renderReadme(current);
	if (next !== current) writeFileSync(README_PATH, next);
	return next !== current;
}
