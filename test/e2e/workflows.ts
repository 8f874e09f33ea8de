/**
 * Workflows the e2e run imports and publishes before n8n starts. Each builder returns plain n8n
 * workflow JSON with a fixed id; add yours to allWorkflows() and write a *.e2e.ts test for it.
 *
 * Webhook URLs of published workflows: `${n8nUrl}/webhook/<path>` for n8n's Webhook node (its
 * `path` parameter); for a trigger node whose webhook description has a fixed path (e.g. 'webhook'),
 * `${n8nUrl}/webhook/<webhookId>/<that path>`, so give such nodes a fixed `webhookId`.
 */
import { CREDENTIALS, type CredentialKey } from './fixtures';

export interface WorkflowContext {
	/** n8n's base URL, e.g. http://localhost:5688 (no trailing slash). */
	n8nUrl: string;
	/** The simulator's base URL, e.g. http://127.0.0.1:41234. */
	simUrl: string;
}

/** Node type names of this package, as workflows reference them. */
export const NODE_TYPES = {
	trigger: 'n8n-nodes-360dialog.dialog360Trigger',
	partnerTrigger: 'n8n-nodes-360dialog.dialog360PartnerTrigger',
	normalize: 'n8n-nodes-360dialog.dialog360Normalize',
} as const;

export const WORKFLOW_IDS = {
	smoke: 'e2eSmokeWorkflow',
} as const;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	active: false;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	settings: Record<string, unknown>;
	pinData: Record<string, unknown>;
}

/** `{ dialog360Api: { id, name } }`, the shape a node's `credentials` field takes. */
export function credentialRef(key: CredentialKey) {
	const { id, name, type } = CREDENTIALS[key];
	return { [type]: { id, name } };
}

/** Connects the nodes in the order given (main output 0 to main input 0). */
export function chain(...names: string[]): WorkflowJson['connections'] {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export function workflow(
	id: string,
	name: string,
	nodes: WorkflowNode[],
	connections: WorkflowJson['connections'] = chain(...nodes.map((n) => n.name)),
): WorkflowJson {
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
		pinData: {},
	};
}

/**
 * An HTTP Request node that POSTs each incoming item (or `expression` evaluated per item) as JSON
 * to the simulator's /__capture/<tag>; tests read them with simulator().waitForCaptures(tag).
 */
export function captureNode(
	ctx: WorkflowContext,
	tag: string,
	{
		name = 'Capture',
		expression = '$json',
		position = [400, 0] as [number, number],
	}: { name?: string; expression?: string; position?: [number, number] } = {},
): WorkflowNode {
	return {
		id: `capture-${tag}`.padEnd(36, '0').slice(0, 36),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url: `${ctx.simUrl}/__capture/${encodeURIComponent(tag)}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify(${expression}) }}`,
			options: {},
		},
	};
}

/** Built-in nodes only: Webhook (POST /webhook/e2e-smoke, answers at once) -> capture 'smoke'. */
export function smokeWorkflow(ctx: WorkflowContext): WorkflowJson {
	return workflow(WORKFLOW_IDS.smoke, 'e2e smoke: webhook to capture', [
		{
			id: '5e1f7a52-0d5c-4c1e-9d0a-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: '5e1f7a52-0d5c-4c1e-9d0a-0000000000a1',
			parameters: {
				httpMethod: 'POST',
				path: 'e2e-smoke',
				responseMode: 'onReceived',
				options: {},
			},
		},
		captureNode(ctx, 'smoke', { expression: '$json.body' }),
	]);
}

/** Every workflow the run imports and publishes. */
export function allWorkflows(ctx: WorkflowContext): WorkflowJson[] {
	return [smokeWorkflow(ctx)];
}
