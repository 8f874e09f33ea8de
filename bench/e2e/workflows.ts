/**
 * The benchmark's workflows: one 360dialog Trigger workflow per trigger version (each on its own
 * number, since a number has one webhook URL), n8n's bare Webhook node, and the two P4 copies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

import type { TriggerVersion, WorkflowJson, WorkflowNode } from '../../test/e2e/workflows';
import type { NumberOptions } from '../../test/simulator/types';

/** Trigger versions measured side by side (see TRIGGER_VERSIONS in nodes/shared/ui/descriptions.ts). */
export const TRIGGER_VERSIONS: TriggerVersion[] = [1, 2];

/** One value per trigger version. */
export function perVersion<T>(value: (version: TriggerVersion) => T): Record<TriggerVersion, T> {
	return Object.fromEntries(TRIGGER_VERSIONS.map((v) => [v, value(v)])) as Record<TriggerVersion, T>;
}

export const IDS = {
	trigger: { 1: 'benchTrigger3601', 2: 'benchTrigger3602' } satisfies Record<TriggerVersion, string>,
	webhook: 'benchWebhook3601',
	guardedWebhook: 'benchWebhookGuard1',
	p4a: 'benchP4NormFirst',
	p4b: 'benchP4CodeFirst',
};
export const TRIGGER_WEBHOOK_IDS: Record<TriggerVersion, string> = {
	1: '7b1e0b9a-3c0d-4d7e-9a51-b3ac00000001',
	2: '7b1e0b9a-3c0d-4d7e-9a51-b3ac00000002',
};
const numberOf = (version: TriggerVersion): NumberOptions => ({
	apiKey: `bench-cloud-api-key-v${version}`,
	kind: 'cloud',
	phoneNumberId: '106540352242922',
	displayPhoneNumber: '15550783881',
	wabaId: '102290129340398',
});
export const NUMBERS = perVersion(numberOf);
const credentialId = (version: TriggerVersion) => `benchCred360Cld${version}`;

/**
 * The Webhook node with Header Auth: like the trigger, it answers only requests that carry a secret
 * header, and its workflow holds a credential, which n8n checks before every execution.
 */
export const HEADER_AUTH = {
	credential: { id: 'benchHeaderAuth1', name: 'bench header auth' },
	header: { 'x-bench-auth': 'bench-header-secret' },
};

/** One dialog360Api credential per trigger version, pointing at the simulator; the Header Auth one. */
export function credentials(simUrl: string) {
	const [[headerName, headerValue]] = Object.entries(HEADER_AUTH.header);
	return [
		...TRIGGER_VERSIONS.map((version) => ({
			id: credentialId(version),
			name: `360dialog (bench v${version})`,
			type: 'dialog360Api',
			data: { apiKey: NUMBERS[version].apiKey, environment: 'custom', baseUrl: simUrl },
		})),
		{ ...HEADER_AUTH.credential, type: 'httpHeaderAuth', data: { name: headerName, value: headerValue } },
	];
}

const node = (
	id: number,
	name: string,
	type: string,
	typeVersion: number,
	position: [number, number],
	parameters: Record<string, unknown>,
	extra: Pick<WorkflowNode, 'webhookId' | 'credentials'> = {},
): WorkflowNode => ({
	id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position,
	parameters,
	...extra,
});
const link = (to: string[]): WorkflowJson['connections'][string] => ({
	main: [to.map((name) => ({ node: name, type: 'main' as const, index: 0 }))],
});
const workflow = (
	id: string,
	name: string,
	nodes: WorkflowNode[],
	connections: WorkflowJson['connections'],
): WorkflowJson => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	// n8n's defaults otherwise: every execution is saved (SQLite), regular (main-process) execution.
	settings: { executionOrder: 'v1' },
	pinData: {},
});
const webhookNode = (id: number, webhookPath: string, headerAuth = false) =>
	node(
		id,
		'Webhook',
		'n8n-nodes-base.webhook',
		2.1,
		[0, 0],
		{
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'onReceived',
			...(headerAuth && { authentication: 'headerAuth' }),
			options: {},
		},
		{
			webhookId: `7b1e0b9a-3c0d-4d7e-9a51-b3ac${String(id).padStart(8, '0')}`,
			...(headerAuth && { credentials: { httpHeaderAuth: HEADER_AUTH.credential } }),
		},
	);
const noOp = (id: number) => node(id, 'No Operation', 'n8n-nodes-base.noOp', 1, [220, 0], {});

function triggerWorkflow(version: TriggerVersion): WorkflowJson {
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

const CODE_NODE_END = '// ---- end of the Code node ----';

/**
 * The Code node's JavaScript: flatten-code-node.ts without its types, up to its end marker, then
 * the call n8n's Code node returns.
 */
function flattenCode(): string {
	const source = fs.readFileSync(path.join(__dirname, 'flatten-code-node.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.ESNext },
	});
	return `${outputText.slice(0, outputText.lastIndexOf(CODE_NODE_END))}return flattenItems($input.all());\n`;
}

/** The Code node "Build Payloads": the corpus mix, repeated, one webhook body per item. */
function buildCode(flatMix: unknown[], p4Items: number): string {
	return [
		'// Builds the stored payloads: the corpus mix, repeated, one webhook body per item.',
		`const mix = JSON.parse(${JSON.stringify(JSON.stringify(flatMix))});`,
		`const count = ${p4Items};`,
		'const out = new Array(count);',
		'for (let i = 0; i < count; i++) out[i] = { json: { body: mix[i % mix.length] } };',
		'return out;',
	].join('\n');
}

/** P4: Webhook -> Code "Build Payloads" (p4Items bodies from flatMix) -> Normalize and Code Flatten. */
function p4Workflows(flatMix: unknown[], p4Items: number): WorkflowJson[] {
	const jsCode = flattenCode();
	const built = buildCode(flatMix, p4Items);
	const code = (parameters: Record<string, unknown>) => ({
		mode: 'runOnceForAllItems',
		language: 'javaScript',
		...parameters,
	});
	// Two copies that differ only in which branch n8n runs first (v1 order: top branch first).
	const p4 = (id: string, webhookPath: string, normalizeFirst: boolean, base: number) => {
		const [normalizeY, codeY] = normalizeFirst ? [-100, 100] : [100, -100];
		const branches = ['360dialog Normalize', 'Code Flatten'];
		return workflow(
			id,
			`bench: P4 ${normalizeFirst ? 'Normalize' : 'Code'} branch first`,
			[
				webhookNode(base + 1, webhookPath),
				node(base + 2, 'Build Payloads', 'n8n-nodes-base.code', 2, [220, 0], code({ jsCode: built })),
				node(base + 3, '360dialog Normalize', 'n8n-nodes-360dialog.dialog360Normalize', 1, [440, normalizeY], {
					bodyField: 'body',
					format: 'auto',
					events: ['*'],
					options: {},
				}),
				node(base + 4, 'Code Flatten', 'n8n-nodes-base.code', 2, [440, codeY], code({ jsCode })),
			],
			{
				Webhook: link(['Build Payloads']),
				'Build Payloads': link(normalizeFirst ? branches : [...branches].reverse()),
			},
		);
	};
	return [p4(IDS.p4a, 'bench-p4-a', true, 20), p4(IDS.p4b, 'bench-p4-b', false, 30)];
}

export function buildWorkflows(flatMix: unknown[], p4Items: number): WorkflowJson[] {
	const webhook = workflow(
		IDS.webhook,
		'bench: Webhook (respond immediately) -> NoOp',
		[webhookNode(11, 'bench-webhook'), noOp(12)],
		{ Webhook: link(['No Operation']) },
	);
	const guardedWebhook = workflow(
		IDS.guardedWebhook,
		'bench: Webhook with Header Auth (respond immediately) -> NoOp',
		[webhookNode(21, 'bench-webhook-auth', true), noOp(22)],
		{ Webhook: link(['No Operation']) },
	);
	return [...TRIGGER_VERSIONS.map(triggerWorkflow), webhook, guardedWebhook, ...p4Workflows(flatMix, p4Items)];
}
