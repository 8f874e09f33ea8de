/**
 * Workflows the e2e run imports and publishes before n8n starts. Each builder returns plain n8n
 * workflow JSON with a fixed id; add yours to allWorkflows() and write a *.e2e.ts test for it.
 *
 * Webhook URLs of published workflows: `${n8nUrl}/webhook/<path>` for n8n's Webhook node (its
 * `path` parameter); for a trigger node whose webhook description has a fixed path (e.g. 'webhook'),
 * `${n8nUrl}/webhook/<webhookId>/<that path>`, so give such nodes a fixed `webhookId`.
 */
import { CREDENTIALS, type CredentialKey } from './fixtures';
import { NODE_TYPES } from '../support/node-types';

export interface WorkflowContext {
	/** n8n's base URL, e.g. http://localhost:5688 (no trailing slash). */
	n8nUrl: string;
	/** The simulator's base URL, e.g. http://127.0.0.1:41234. */
	simUrl: string;
}

export { NODE_TYPES };

export const WORKFLOW_IDS = {
	smoke: 'e2eSmokeWorkflow',
	triggerAllCloud: 'e2eTrigAllCloud1',
	triggerAllOnPremise: 'e2eTrigAllOnPrem',
	triggerMessagesOnly: 'e2eTrigMsgsOnly1',
	triggerDedupe: 'e2eTrigDedupe001',
	triggerLifecycle: 'e2eTrigLifecycle',
	triggerLoad: 'e2eTrigLoad00001',
	triggerGroupsClicks: 'e2eTrigGroupsClk',
	mediaCloud: 'e2eMediaCloud001',
	mediaOnPremise: 'e2eMediaOnPrem01',
	partnerAll: 'e2ePartnerAll001',
	partnerAlerts: 'e2ePartnerAlerts',
	normalize: 'e2eNormalizeHook',
	replyCloud: 'e2eActReplyCloud',
	replyOnPremise: 'e2eActReplyOnPrm',
	readDownload: 'e2eActReadDownld',
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

// ------------------------------------------------------------------ package workflows

/** Capture tags (one per workflow) and the trigger webhookIds, so tests can find both. */
export const CAPTURE_TAGS = {
	triggerAllCloud: 'trigger-all-cloud',
	triggerAllOnPremise: 'trigger-all-onprem',
	triggerMessagesOnly: 'trigger-messages-only',
	triggerDedupe: 'trigger-dedupe',
	triggerLifecycle: 'trigger-lifecycle',
	triggerLoad: 'trigger-load',
	triggerGroupsClicks: 'trigger-groups-clicks',
	mediaCloud: 'media-cloud',
	mediaCloudFile: 'media-cloud-file',
	mediaOnPremise: 'media-onprem',
	mediaOnPremiseFile: 'media-onprem-file',
	partnerAll: 'partner-all',
	partnerAlerts: 'partner-alerts',
	normalize: 'normalize',
	replyCloud: 'reply-cloud',
	replyOnPremise: 'reply-onprem',
	readDownload: 'read-download',
	readDownloadFile: 'read-download-file',
} as const;

export const WEBHOOK_IDS = {
	triggerAllCloud: 'e2e00000-0000-4000-8000-000000000001',
	triggerAllOnPremise: 'e2e00000-0000-4000-8000-000000000002',
	triggerMessagesOnly: 'e2e00000-0000-4000-8000-000000000003',
	triggerDedupe: 'e2e00000-0000-4000-8000-000000000004',
	triggerLifecycle: 'e2e00000-0000-4000-8000-000000000005',
	triggerLoad: 'e2e00000-0000-4000-8000-000000000006',
	triggerGroupsClicks: 'e2e00000-0000-4000-8000-0000000013a1',
	mediaCloud: 'e2e00000-0000-4000-8000-000000000007',
	mediaOnPremise: 'e2e00000-0000-4000-8000-000000000008',
	partnerAll: 'e2e00000-0000-4000-8000-000000000009',
	partnerAlerts: 'e2e00000-0000-4000-8000-00000000000a',
	normalize: 'e2e00000-0000-4000-8000-00000000000b',
	replyCloud: 'e2e00000-0000-4000-8000-00000000000c',
	replyOnPremise: 'e2e00000-0000-4000-8000-00000000000d',
	readDownload: 'e2e00000-0000-4000-8000-00000000000e',
} as const;

/** n8n's Webhook node path of the Normalize workflow: POST `${n8nUrl}/webhook/e2e-normalize`. */
export const NORMALIZE_WEBHOOK_PATH = 'e2e-normalize';

/** Production URL of a package trigger node: its webhook description's fixed path is 'webhook'. */
export function triggerWebhookUrl(n8nUrl: string, webhookId: string): string {
	return `${n8nUrl}/webhook/${webhookId}/webhook`;
}

/**
 * Aggregate (all item data into `items`) then one capture POST of
 * `{ executionId, items: [json of every item] }`. An execution therefore makes exactly one capture,
 * which is how the tests count executions. n8n's Aggregate node runs in the main process (a Code
 * node would go through the task runner), and `$execution.id` tells executions apart.
 */
export function collectAndCapture(
	ctx: WorkflowContext,
	tag: string,
	{ x = 250, y = 0 }: { x?: number; y?: number } = {},
): WorkflowNode[] {
	return [
		{
			id: `collect-${tag}`.padEnd(36, '0').slice(0, 36),
			name: 'Collect',
			type: 'n8n-nodes-base.aggregate',
			typeVersion: 1,
			position: [x, y],
			parameters: { aggregate: 'aggregateAllItemData', destinationFieldName: 'items', options: {} },
		},
		captureNode(ctx, tag, {
			expression: '{ executionId: $execution.id, items: $json.items }',
			position: [x + 200, y],
		}),
	];
}

/**
 * An HTTP Request node that POSTs an item's binary property as the raw request body (Content-Type =
 * the binary's MIME type) to /__capture/<tag>, with the item's message id and the binary's file
 * name and MIME type in headers. The simulator keeps the bytes (Capture.base64).
 */
export function binaryCaptureNode(
	ctx: WorkflowContext,
	tag: string,
	{
		name = 'Capture File',
		binaryProperty = 'data',
		position = [250, 200] as [number, number],
	}: { name?: string; binaryProperty?: string; position?: [number, number] } = {},
): WorkflowNode {
	return {
		id: `capture-file-${tag}`.padEnd(36, '0').slice(0, 36),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url: `${ctx.simUrl}/__capture/${encodeURIComponent(tag)}`,
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: {
				parameters: [
					{ name: 'x-message-id', value: '={{ $json.messageId }}' },
					{ name: 'x-file-name', value: `={{ $binary.${binaryProperty}.fileName }}` },
					{ name: 'x-mime-type', value: `={{ $binary.${binaryProperty}.mimeType }}` },
				],
			},
			sendBody: true,
			contentType: 'binaryData',
			inputDataFieldName: binaryProperty,
			options: {},
		},
	};
}

/**
 * Both trigger versions run in the suite: version 2 (what a new node gets) and version 1 (workflows
 * saved before version 2 existed), which must keep working unchanged.
 */
export type TriggerVersion = 1 | 2;

interface MessagingTriggerSpec {
	id: string;
	typeVersion: TriggerVersion;
	name: string;
	webhookId: string;
	credential: CredentialKey;
	tag: string;
	parameters?: Record<string, unknown>;
	/** Also send each item's binary `data` to this capture tag. */
	fileTag?: string;
}

function messagingTriggerWorkflow(ctx: WorkflowContext, spec: MessagingTriggerSpec): WorkflowJson {
	const trigger: WorkflowNode = {
		id: `trigger-${spec.id}`.padEnd(36, '0').slice(0, 36),
		name: '360dialog Trigger',
		type: NODE_TYPES.trigger,
		typeVersion: spec.typeVersion,
		position: [0, 0],
		webhookId: spec.webhookId,
		credentials: credentialRef(spec.credential),
		parameters: { events: ['*'], ...spec.parameters, options: {} },
	};
	const collect = collectAndCapture(ctx, spec.tag);
	const nodes = [trigger, ...collect];
	const connections = chain(...nodes.map((n) => n.name));
	if (spec.fileTag) {
		const file = binaryCaptureNode(ctx, spec.fileTag);
		nodes.push(file);
		connections[trigger.name].main[0].push({ node: file.name, type: 'main', index: 0 });
	}
	return workflow(spec.id, spec.name, nodes, connections);
}

/** Every messaging-trigger workflow: one number (credential) each. */
export function messagingTriggerWorkflows(ctx: WorkflowContext): WorkflowJson[] {
	const specs: MessagingTriggerSpec[] = [
		{
			id: WORKFLOW_IDS.triggerAllCloud,
			typeVersion: 2,
			name: 'e2e trigger: all events, no dedup (Cloud number)',
			webhookId: WEBHOOK_IDS.triggerAllCloud,
			credential: 'cloud',
			tag: CAPTURE_TAGS.triggerAllCloud,
			// Dedup off: corpus files share message ids, and the expectation is normalize() per payload.
			parameters: { dedupe: false },
		},
		{
			id: WORKFLOW_IDS.triggerAllOnPremise,
			typeVersion: 1,
			name: 'e2e trigger: all events, no dedup (On-Premise number)',
			webhookId: WEBHOOK_IDS.triggerAllOnPremise,
			credential: 'onPremise',
			tag: CAPTURE_TAGS.triggerAllOnPremise,
			parameters: { dedupe: false },
		},
		{
			id: WORKFLOW_IDS.triggerMessagesOnly,
			typeVersion: 2,
			name: 'e2e trigger: All Messages only',
			webhookId: WEBHOOK_IDS.triggerMessagesOnly,
			credential: 'messagesOnly',
			tag: CAPTURE_TAGS.triggerMessagesOnly,
			parameters: { events: ['group:messages'] },
		},
		{
			id: WORKFLOW_IDS.triggerDedupe,
			typeVersion: 1,
			name: 'e2e trigger: defaults (dedup on)',
			webhookId: WEBHOOK_IDS.triggerDedupe,
			credential: 'dedupe',
			tag: CAPTURE_TAGS.triggerDedupe,
		},
		{
			id: WORKFLOW_IDS.triggerLifecycle,
			typeVersion: 2,
			name: 'e2e trigger: registration lifecycle',
			webhookId: WEBHOOK_IDS.triggerLifecycle,
			credential: 'lifecycle',
			tag: CAPTURE_TAGS.triggerLifecycle,
		},
		{
			id: WORKFLOW_IDS.triggerGroupsClicks,
			typeVersion: 2,
			name: 'e2e trigger: Group Updates and Marketing Click Events',
			webhookId: WEBHOOK_IDS.triggerGroupsClicks,
			credential: 'groupsClicks',
			tag: CAPTURE_TAGS.triggerGroupsClicks,
			parameters: { events: ['group:groups', 'group:clicks'] },
		},
		{
			id: WORKFLOW_IDS.triggerLoad,
			typeVersion: 2,
			name: 'e2e trigger: load',
			webhookId: WEBHOOK_IDS.triggerLoad,
			credential: 'load',
			tag: CAPTURE_TAGS.triggerLoad,
		},
		{
			id: WORKFLOW_IDS.mediaCloud,
			typeVersion: 2,
			name: 'e2e trigger: Download Media (Cloud)',
			webhookId: WEBHOOK_IDS.mediaCloud,
			credential: 'mediaCloud',
			tag: CAPTURE_TAGS.mediaCloud,
			fileTag: CAPTURE_TAGS.mediaCloudFile,
			parameters: { downloadMedia: true },
		},
		{
			id: WORKFLOW_IDS.mediaOnPremise,
			typeVersion: 1,
			name: 'e2e trigger: Download Media (On-Premise)',
			webhookId: WEBHOOK_IDS.mediaOnPremise,
			credential: 'mediaOnPremise',
			tag: CAPTURE_TAGS.mediaOnPremise,
			fileTag: CAPTURE_TAGS.mediaOnPremiseFile,
			parameters: { downloadMedia: true },
		},
	];
	return specs.map((spec) => messagingTriggerWorkflow(ctx, spec));
}

function partnerTriggerWorkflow(
	ctx: WorkflowContext,
	id: string,
	name: string,
	webhookId: string,
	credential: CredentialKey,
	tag: string,
	parameters: Record<string, unknown>,
	typeVersion: TriggerVersion,
): WorkflowJson {
	const trigger: WorkflowNode = {
		id: `partner-${id}`.padEnd(36, '0').slice(0, 36),
		name: '360dialog Partner Trigger',
		type: NODE_TYPES.partnerTrigger,
		typeVersion,
		position: [0, 0],
		webhookId,
		credentials: credentialRef(credential),
		parameters: { ...parameters, options: {} },
	};
	return workflow(id, name, [trigger, ...collectAndCapture(ctx, tag)]);
}

export function partnerWorkflows(ctx: WorkflowContext): WorkflowJson[] {
	return [
		partnerTriggerWorkflow(
			ctx,
			WORKFLOW_IDS.partnerAll,
			'e2e partner trigger: all events, no dedup',
			WEBHOOK_IDS.partnerAll,
			'partner',
			CAPTURE_TAGS.partnerAll,
			{ preset: 'all', dedupe: false },
			2,
		),
		partnerTriggerWorkflow(
			ctx,
			WORKFLOW_IDS.partnerAlerts,
			'e2e partner trigger: Alerts Only',
			WEBHOOK_IDS.partnerAlerts,
			'partnerAlerts',
			CAPTURE_TAGS.partnerAlerts,
			{ preset: 'alerts' },
			1,
		),
	];
}

/** n8n's Webhook node (answers at once) -> 360dialog Normalize (defaults) -> collect and capture. */
export function normalizeWorkflow(ctx: WorkflowContext): WorkflowJson {
	return workflow(WORKFLOW_IDS.normalize, 'e2e: Webhook node into 360dialog Normalize', [
		{
			id: 'e2e-normalize-webhook-000000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: WEBHOOK_IDS.normalize,
			parameters: {
				httpMethod: 'POST',
				path: NORMALIZE_WEBHOOK_PATH,
				responseMode: 'onReceived',
				options: {},
			},
		},
		{
			id: 'e2e-normalize-node-0000000000000000001',
			name: '360dialog Normalize',
			type: NODE_TYPES.normalize,
			typeVersion: 1,
			position: [200, 0],
			parameters: { bodyField: 'body', format: 'auto', events: ['*'], options: {} },
		},
		...collectAndCapture(ctx, CAPTURE_TAGS.normalize, { x: 400 }),
	]);
}

// ------------------------------------------------------------------ the 360dialog action node

/** The text the reply workflows send, from the trigger item. */
export const REPLY_TEXT = '=Thanks, {{ $json.contactName }}! You wrote: {{ $json.text }}';

function triggerNode(id: string, webhookId: string, credential: CredentialKey): WorkflowNode {
	return {
		id: `trigger-${id}`.padEnd(36, '0').slice(0, 36),
		name: '360dialog Trigger',
		type: NODE_TYPES.trigger,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		credentials: credentialRef(credential),
		parameters: { events: ['group:messages'], dedupe: false, options: {} },
	};
}

function actionNode(
	id: string,
	name: string,
	credential: CredentialKey,
	parameters: Record<string, unknown>,
	position: [number, number],
	continueOnFail = false,
): WorkflowNode & { onError?: string } {
	return {
		id: `action-${id}`.padEnd(36, '0').slice(0, 36),
		name,
		type: NODE_TYPES.action,
		typeVersion: 1,
		position,
		credentials: credentialRef(credential),
		parameters,
		...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
}

/**
 * 360dialog Trigger → 360dialog (Send Text, defaults: reply to the sender, quoting the message) →
 * collect and capture. Continue On Fail is on, so a refused send becomes a captured error item.
 */
function replyWorkflow(
	ctx: WorkflowContext,
	key: 'replyCloud' | 'replyOnPremise',
	api: 'fromCredential' | 'onPremise',
): WorkflowJson {
	return workflow(WORKFLOW_IDS[key], `e2e action: Trigger → 360dialog Send Text (${key})`, [
		triggerNode(WORKFLOW_IDS[key], WEBHOOK_IDS[key], key),
		actionNode(
			WORKFLOW_IDS[key],
			'Reply',
			key,
			{ resource: 'message', operation: 'sendText', api, text: REPLY_TEXT, options: {} },
			[200, 0],
			true,
		),
		...collectAndCapture(ctx, CAPTURE_TAGS[key], { x: 400 }),
	]);
}

/**
 * 360dialog Trigger → 360dialog (Mark as Read, typing indicator) → 360dialog (Download, defaults:
 * the trigger item's media id) → collect and capture, and the file to a binary capture.
 */
export function readDownloadWorkflow(ctx: WorkflowContext): WorkflowJson {
	const id = WORKFLOW_IDS.readDownload;
	const nodes = [
		triggerNode(id, WEBHOOK_IDS.readDownload, 'readDownload'),
		actionNode(
			id,
			'Mark as Read',
			'readDownload',
			{ resource: 'message', operation: 'markAsRead', typingIndicator: true, options: {} },
			[200, 0],
		),
		actionNode(
			`${id}-dl`,
			'Download Media',
			'readDownload',
			{ resource: 'media', operation: 'download', options: {} },
			[400, 0],
		),
		...collectAndCapture(ctx, CAPTURE_TAGS.readDownload, { x: 600 }),
	];
	const connections = chain(...nodes.map((n) => n.name));
	const file = binaryCaptureNode(ctx, CAPTURE_TAGS.readDownloadFile, { position: [600, 200] });
	nodes.push(file);
	connections['Download Media'].main[0].push({ node: file.name, type: 'main', index: 0 });
	return workflow(id, 'e2e action: Trigger → Mark as Read → Download Media', nodes, connections);
}

export function actionWorkflows(ctx: WorkflowContext): WorkflowJson[] {
	return [
		replyWorkflow(ctx, 'replyCloud', 'fromCredential'),
		// The credential points at the simulator (Custom Base URL), so the node is told the API.
		replyWorkflow(ctx, 'replyOnPremise', 'onPremise'),
		readDownloadWorkflow(ctx),
	];
}

/** Every workflow the run imports and publishes. */
export function allWorkflows(ctx: WorkflowContext): WorkflowJson[] {
	return [
		smokeWorkflow(ctx),
		...messagingTriggerWorkflows(ctx),
		...partnerWorkflows(ctx),
		normalizeWorkflow(ctx),
		...actionWorkflows(ctx),
	];
}
