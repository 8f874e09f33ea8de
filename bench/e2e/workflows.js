'use strict';
/**
 * The benchmark's workflows: one 360dialog Trigger workflow per trigger version (each on its own
 * number, since a number has one webhook URL), n8n's bare Webhook node, and the two P4 copies.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Trigger versions measured side by side (see TRIGGER_VERSIONS in nodes/shared/descriptions.ts). */
const TRIGGER_VERSIONS = [1, 2];

const IDS = {
	trigger: { 1: 'benchTrigger3601', 2: 'benchTrigger3602' },
	webhook: 'benchWebhook3601',
	p4a: 'benchP4NormFirst',
	p4b: 'benchP4CodeFirst',
};
const TRIGGER_WEBHOOK_IDS = {
	1: '7b1e0b9a-3c0d-4d7e-9a51-b3ac00000001',
	2: '7b1e0b9a-3c0d-4d7e-9a51-b3ac00000002',
};
const numberOf = (version) => ({
	apiKey: `bench-cloud-api-key-v${version}`,
	kind: 'cloud',
	phoneNumberId: '106540352242922',
	displayPhoneNumber: '15550783881',
	wabaId: '102290129340398',
});
const NUMBERS = Object.fromEntries(TRIGGER_VERSIONS.map((v) => [v, numberOf(v)]));
const credentialId = (version) => `benchCred360Cld${version}`;

/** One dialog360Api credential per trigger version, pointing at the simulator. */
function credentials(simUrl) {
	return TRIGGER_VERSIONS.map((version) => ({
		id: credentialId(version),
		name: `360dialog (bench v${version})`,
		type: 'dialog360Api',
		data: { apiKey: NUMBERS[version].apiKey, environment: 'custom', baseUrl: simUrl },
	}));
}

const node = (id, name, type, typeVersion, position, parameters, extra = {}) => ({
	id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position,
	parameters,
	...extra,
});
const link = (to) => ({ main: [to.map((name) => ({ node: name, type: 'main', index: 0 }))] });
const workflow = (id, name, nodes, connections) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	// n8n's defaults otherwise: every execution is saved (SQLite), regular (main-process) execution.
	settings: { executionOrder: 'v1' },
	pinData: {},
});
const webhookNode = (id, webhookPath) =>
	node(
		id,
		'Webhook',
		'n8n-nodes-base.webhook',
		2.1,
		[0, 0],
		{ httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
		{ webhookId: `7b1e0b9a-3c0d-4d7e-9a51-b3ac${String(id).padStart(8, '0')}` },
	);
const noOp = (id) => node(id, 'No Operation', 'n8n-nodes-base.noOp', 1, [220, 0], {});

function triggerWorkflow(version) {
	return workflow(
		IDS.trigger[version],
		`bench: 360dialog Trigger v${version} (All Messages) -> NoOp`,
		[
			node(
				version * 100 + 1,
				'360dialog Trigger',
				'n8n-nodes-360dialog.dialog360Trigger',
				version,
				[0, 0],
				{
					registrationMode: 'replace',
					authentication: 'generatedHeader',
					events: ['group:messages'],
					dedupe: false,
					options: {},
				},
				{
					webhookId: TRIGGER_WEBHOOK_IDS[version],
					credentials: {
						dialog360Api: { id: credentialId(version), name: `360dialog (bench v${version})` },
					},
				},
			),
			noOp(version * 100 + 2),
		],
		{ '360dialog Trigger': link(['No Operation']) },
	);
}

/** P4: Webhook -> Code "Build Payloads" (p4Items bodies from flatMix) -> Normalize and Code Flatten. */
function p4Workflows(flatMix, p4Items) {
	const flattenSource = fs.readFileSync(path.join(__dirname, 'flatten-code-node.js'), 'utf8');
	const flattenCode = `${flattenSource.slice(0, flattenSource.lastIndexOf('// ---- end of the Code node ----'))}return flattenItems($input.all());\n`;
	const buildCode = [
		'// Builds the stored payloads: the corpus mix, repeated, one webhook body per item.',
		`const mix = JSON.parse(${JSON.stringify(JSON.stringify(flatMix))});`,
		`const count = ${p4Items};`,
		'const out = new Array(count);',
		'for (let i = 0; i < count; i++) out[i] = { json: { body: mix[i % mix.length] } };',
		'return out;',
	].join('\n');
	// Two copies that differ only in which branch n8n runs first (v1 order: top branch first).
	const p4 = (id, webhookPath, normalizeFirst, base) =>
		workflow(
			id,
			`bench: P4 ${normalizeFirst ? 'Normalize' : 'Code'} branch first`,
			[
				webhookNode(base + 1, webhookPath),
				node(base + 2, 'Build Payloads', 'n8n-nodes-base.code', 2, [220, 0], {
					mode: 'runOnceForAllItems',
					language: 'javaScript',
					jsCode: buildCode,
				}),
				node(
					base + 3,
					'360dialog Normalize',
					'n8n-nodes-360dialog.dialog360Normalize',
					1,
					[440, normalizeFirst ? -100 : 100],
					{ bodyField: 'body', format: 'auto', events: ['*'], options: {} },
				),
				node(
					base + 4,
					'Code Flatten',
					'n8n-nodes-base.code',
					2,
					[440, normalizeFirst ? 100 : -100],
					{
						mode: 'runOnceForAllItems',
						language: 'javaScript',
						jsCode: flattenCode,
					},
				),
			],
			{
				Webhook: link(['Build Payloads']),
				'Build Payloads': link(
					normalizeFirst
						? ['360dialog Normalize', 'Code Flatten']
						: ['Code Flatten', '360dialog Normalize'],
				),
			},
		);
	return [p4(IDS.p4a, 'bench-p4-a', true, 20), p4(IDS.p4b, 'bench-p4-b', false, 30)];
}

function buildWorkflows(flatMix, p4Items) {
	const webhook = workflow(
		IDS.webhook,
		'bench: Webhook (respond immediately) -> NoOp',
		[webhookNode(11, 'bench-webhook'), noOp(12)],
		{ Webhook: link(['No Operation']) },
	);
	return [...TRIGGER_VERSIONS.map(triggerWorkflow), webhook, ...p4Workflows(flatMix, p4Items)];
}

module.exports = {
	TRIGGER_VERSIONS,
	IDS,
	TRIGGER_WEBHOOK_IDS,
	NUMBERS,
	credentials,
	buildWorkflows,
};
