/**
 * What the n8n editor shows of the nodes: the node creator's trigger list (built by n8n from the
 * first property named Events), canvas subtitles (n8n expressions, evaluated here by n8n-workflow as
 * the editor does), panel order, option names derived from the catalog, and copy without Markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, Workflow, type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions, type INodeType, type INodeTypes } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360PartnerApi } from '../../credentials/Dialog360PartnerApi.credentials';
import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { Dialog360Normalize } from '../../nodes/Dialog360Normalize/Dialog360Normalize.node';
import { Dialog360PartnerTrigger } from '../../nodes/Dialog360PartnerTrigger/Dialog360PartnerTrigger.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { MESSAGING_EVENT_GROUPS, PARTNER_EVENTS, SEVERITIES, SEVERITY_RULES } from '../../nodes/shared/core/catalog';
import { partnerEventOptions, severityOptions, specificEventOptions } from '../../nodes/shared/ui/descriptions';

const NODES: Array<[string, INodeType]> = [
	['360dialog Trigger', new Dialog360Trigger()],
	['360dialog Partner Trigger', new Dialog360PartnerTrigger()],
	['360dialog Normalize', new Dialog360Normalize()],
	['360dialog', new Dialog360()],
];
const CREDENTIALS = [new Dialog360Api(), new Dialog360PartnerApi()];

/** Every string in a description, with the path it was found at. */
function strings(value: unknown, path: string, found: Array<[string, string]> = []): Array<[string, string]> {
	if (typeof value === 'string') found.push([path, value]);
	else if (Array.isArray(value)) value.forEach((child, index) => strings(child, `${path}[${index}]`, found));
	else if (typeof value === 'object' && value !== null)
		for (const [key, child] of Object.entries(value)) strings(child, `${path}.${key}`, found);
	return found;
}

/** The texts n8n shows as plain text: descriptions, hints, notices, option names, placeholders. */
const SHOWN = /\.(description|hint|displayName|name|placeholder|action)$/;

describe('copy shown in the editor', () => {
	it.each([...NODES.map(([name, node]) => [name, node.description] as const), ...CREDENTIALS.map((credential) => [credential.displayName, credential] as const)])(
		'%s has no literal backticks (n8n does not render Markdown there)',
		(_name, description) => {
			const offenders = strings(description, '')
				.filter(([path, text]) => SHOWN.test(path) && text.includes('`'))
				.map(([path, text]) => `${path}: ${text}`);
			expect(offenders).toEqual([]);
		},
	);

	it('the walk finds every kind of text it checks', () => {
		const paths = strings(new Dialog360Trigger().description, '').map(([path]) => path);
		for (const kind of ['description', 'displayName', 'name', 'action', 'placeholder']) {
			expect(paths.some((path) => path.endsWith(`.${kind}`))).toBe(true);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// Node creator: n8n lists the options of the first property named "Event", "Events" or "Trigger On"
// ---------------------------------------------------------------------------------------------

/** n8n 2.40's rule (editor-ui, triggersCategory): the first property with one of these names. */
function creatorTriggers(node: INodeType): INodePropertyOptions[] {
	const property = node.description.properties.find((candidate) =>
		['event', 'events', 'trigger on'].includes(candidate.displayName.toLowerCase()),
	);
	return ((property?.options ?? []) as INodePropertyOptions[]).filter((option) => !['*', '', ' '].includes(option.name));
}

describe('node creator', () => {
	it.each([
		['360dialog Trigger', new Dialog360Trigger()],
		['360dialog Partner Trigger', new Dialog360PartnerTrigger()],
	])('%s lists a short set of triggers, each with its own wording', (_name, node) => {
		const triggers = creatorTriggers(node);
		expect(triggers.length).toBeGreaterThan(1);
		expect(triggers.length).toBeLessThanOrEqual(12);
		for (const trigger of triggers) {
			expect(trigger.action).toMatch(/^On [a-zA-Z]/);
			expect(trigger.action).not.toMatch(/^On (custom|change flows|echoes)/i);
		}
	});

	it('the messaging trigger offers All Events and each event group but Partner Hub', () => {
		const values = creatorTriggers(new Dialog360Trigger()).map((option) => option.value);
		const groups = Object.keys(MESSAGING_EVENT_GROUPS).filter((group) => group !== 'partner');
		expect(values).toEqual(['*', ...groups.map((group) => `group:${group}`)]);
	});

	it('the trigger the creator adds (version 3) shows those same options in its panel', () => {
		const node = new Dialog360Trigger();
		const events = node.description.properties.filter((property) => property.name === 'events');
		expect(events).toHaveLength(2);
		expect(events[0].displayOptions).toEqual({ show: { '@version': [3] } });
		expect(events[1].displayOptions).toEqual({ show: { '@version': [1, 2] } });
	});
});

// ---------------------------------------------------------------------------------------------
// Panels
// ---------------------------------------------------------------------------------------------

/** The properties a node of this version shows with these parameters, in panel order. */
function shown(node: INodeType, typeVersion: number, parameters: INodeParameters = {}): INodeProperties[] {
	const instance = { typeVersion, parameters } as unknown as INode;
	const resolved = NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, instance, node.description) ?? {};
	return node.description.properties.filter((property) =>
		NodeHelpers.displayParameter(resolved, property, { typeVersion }, node.description),
	);
}

describe('panels', () => {
	it.each([
		['360dialog Trigger', 3, new Dialog360Trigger()],
		['360dialog Trigger', 2, new Dialog360Trigger()],
		['360dialog Trigger', 1, new Dialog360Trigger()],
		['360dialog Partner Trigger', 2, new Dialog360PartnerTrigger()],
	])('%s (version %s) shows Events first, under a notice of at most two lines', (_name, version, node) => {
		const properties = shown(node, version);
		expect(properties[0].type).toBe('notice');
		// About 45 characters fit on a line of the panel; test:ui measures the lines in a browser.
		expect(properties[0].displayName.length).toBeLessThanOrEqual(90);
		expect(properties[1].displayName).toBe('Events');
		const names = properties.map((property) => property.name);
		expect(names.indexOf('authentication')).toBeGreaterThan(names.indexOf('dedupe'));
	});

	it('the messaging trigger keeps registration after the events, and explains extra destinations apart', () => {
		const node = new Dialog360Trigger();
		const extra = shown(node, 3, { registrationMode: 'extraDestination' });
		const notice = extra.find((property) => property.name === 'extraDestinationNotice');
		expect(notice?.displayName).toMatch(/only after the main webhook answered 200/);
		const mode = node.description.properties.find((property) => property.name === 'registrationMode');
		for (const option of (mode?.options ?? []) as INodePropertyOptions[]) expect((option.description ?? '').length).toBeLessThanOrEqual(100);
		expect(shown(node, 3).some((property) => property.name === 'extraDestinationNotice')).toBe(false);
	});

	it('version 3 splits Events into groups and Specific Events; versions 1 and 2 keep one list', () => {
		const node = new Dialog360Trigger();
		const v3 = shown(node, 3);
		expect(v3.map((property) => property.name)).toContain('specificEvents');
		const v2 = shown(node, 2);
		expect(v2.map((property) => property.name)).not.toContain('specificEvents');
		const v2Events = v2.find((property) => property.name === 'events');
		expect((v2Events?.options as INodePropertyOptions[]).map((option) => option.value)).toEqual(
			expect.arrayContaining(['*', 'group:messages', 'message.text', 'status.failed', 'template.status', 'call.connect']),
		);
	});

	it('Minimum Severity (formerly Only At Least) keeps its parameter name and offers every level of the table', () => {
		const property = new Dialog360PartnerTrigger().description.properties.find((candidate) => candidate.name === 'minSeverity');
		expect(property?.displayName).toBe('Minimum Severity');
		expect(property?.default).toBe('info');
		const options = property?.options as INodePropertyOptions[];
		expect(options.map((option) => option.value)).toEqual([...SEVERITIES]);
		expect(options.map((option) => option.name)).toEqual(['Info', 'Warning', 'Critical']);
		expect(options[0].description).toMatch(/^Everything/);
		for (const option of options) expect(option.description).toBeTruthy();
	});

	it('severity options are derived from the severity table, for the events they apply to', () => {
		const options = severityOptions((event) => event.startsWith('partner.'));
		const firstFor = (level: string) =>
			SEVERITY_RULES.find((rule) => rule.severity === level && rule.events.some((event) => event.startsWith('partner.')))?.why ?? '';
		const lower = (why: string) => why.charAt(0).toLowerCase() + why.slice(1).replace(/\.$/, '');
		expect(options.map((option) => option.description)).toEqual([
			'Everything: no event is dropped',
			`Only Warning and Critical events, e.g. ${lower(firstFor('warning'))}`,
			`Only Critical events, e.g. ${lower(firstFor('critical'))}`,
		]);
		// Short enough for the two lines n8n's dropdown shows.
		for (const option of options) expect((option.description ?? '').length).toBeLessThanOrEqual(110);
		// A rule for messaging events only is not offered as a partner example.
		const messaging = severityOptions((event) => !event.startsWith('partner.'));
		expect(messaging[2].description).toBe(`Only Critical events, e.g. ${lower(SEVERITY_RULES.find((rule) => rule.severity === 'critical' && rule.events.some((event) => !event.startsWith('partner.')))?.why ?? '')}`);
	});
});

// ---------------------------------------------------------------------------------------------
// Display names derived from the catalog
// ---------------------------------------------------------------------------------------------

describe('display names', () => {
	it('partner event names read WABA, API and SMB in capitals, one option per catalog event', () => {
		const options = partnerEventOptions();
		const names = options.map((option) => option.name);
		expect(names).toContain('Templates: WABA Template Status Changed');
		expect(names).toContain('History and Sync: SMB App State Sync');
		expect(names).toContain('Client and Channel Lifecycle: Migrated To Cloud API (Unconfirmed)');
		expect(names.join(' ')).not.toMatch(/\b(Waba|Api|Smb)\b/);
		expect(options.map((option) => option.value)).toEqual([...PARTNER_EVENTS, 'unknown']);
	});

	it('specific messaging events are titled from their names', () => {
		const names = specificEventOptions(['messages', 'statuses', 'sync']).map((option) => option.name);
		expect(names).toContain('Message: Request Welcome');
		expect(names).toContain('Status: Failed');
		expect(names).toContain('Change Partner Solutions');
	});
});

// ---------------------------------------------------------------------------------------------
// Canvas subtitles
// ---------------------------------------------------------------------------------------------

/** The subtitle the editor shows for a node with these parameters (defaults filled in, as the editor has them). */
function subtitle(node: INodeType, parameters: INodeParameters, typeVersion: number): unknown {
	const instance: INode = { id: '1', name: 'node', type: 'n8n-nodes-360dialog.node', typeVersion, position: [0, 0], parameters };
	instance.parameters = NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, instance, node.description) ?? {};
	const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [instance], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(instance, node.description.subtitle as string, 'internal', {});
}

describe('canvas subtitles', () => {
	const trigger = new Dialog360Trigger();
	const partner = new Dialog360PartnerTrigger();

	it.each([
		[{}, 3, 'All events'],
		[{ events: ['*'], specificEvents: ['message.text', 'message.image'] }, 3, 'Messages: text, image'],
		[{ events: ['group:messages', 'group:statuses'] }, 3, 'Messages; Statuses'],
		[{ events: ['group:statuses'], specificEvents: ['status.failed', 'message.request_welcome'] }, 3, 'Statuses; Messages: request welcome'],
		[{ events: ['*', 'group:errors'], specificEvents: ['template.status'] }, 3, 'Errors; Templates: status'],
		[{ events: ['group:unknown'], specificEvents: ['call.connect'] }, 3, 'Unknown; Call: connect'],
		[{ events: ['*'] }, 2, 'All events'],
		[{ events: ['message.text', 'status.read', 'group:account'] }, 2, 'Messages: text; Statuses: read; Account'],
		[{ events: ['error'] }, 1, 'Errors'],
	])('messaging trigger %j (version %s): %s', (parameters, version, expected) => {
		expect(subtitle(trigger, parameters as INodeParameters, version)).toBe(expected);
	});

	it.each([
		[{}, 'All events'],
		[{ preset: 'alerts' }, 'Alerts only'],
		[{ preset: 'alerts', minSeverity: 'critical' }, 'Alerts only (critical only)'],
		[{ preset: 'all', minSeverity: 'warning' }, 'All events (warning or critical)'],
		[{ preset: 'lifecycle' }, 'Channel lifecycle'],
		[{ preset: 'custom', events: ['channel_live', 'account_violation'] }, 'Custom: channel live, account violation'],
		[{ preset: 'custom' }, 'Custom'],
	])('partner trigger %j: %s', (parameters, expected) => {
		expect(subtitle(partner, parameters as INodeParameters, 2)).toBe(expected);
	});
});

describe('node creator search', () => {
	// n8n scores a search against the display name and each alias; an alias that is exactly the
	// search word scores highest. Only the trigger and the node it merges with in the creator
	// (360dialog) carry the bare word, so searching "whatsapp" puts them first.
	const codex = (folder: string) =>
		JSON.parse(
			readFileSync(join(__dirname, '..', '..', 'nodes', folder, `${folder}.node.json`), 'utf8'),
		) as { alias: string[]; categories: string[] };

	it.each([
		['Dialog360Trigger', true],
		['Dialog360', true],
		['Dialog360Normalize', false],
		['Dialog360PartnerTrigger', false],
	])('%s has the exact alias "WhatsApp": %s', (folder, exact) => {
		const { alias, categories } = codex(folder);
		expect(alias.includes('WhatsApp')).toBe(exact);
		expect(alias.some((name) => name.toLowerCase().startsWith('whatsapp'))).toBe(true);
		expect(categories).toContain('Communication');
	});
});
