/**
 * Runs real n8n workflows through n8n-core's own execution engine (`WorkflowExecute`) inside jest,
 * without a database or a server. It rebuilds the small part of n8n's CLI that normally wires the
 * engine up: a node-types registry, a credentials helper, `additionalData`, lifecycle hooks, the
 * webhook entry point (`WebhookContext` + the node execution stack n8n builds for webhook runs) and
 * the webhook setup methods (`HookContext`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	Credentials,
	DataDeduplicationService,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	HookContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	Expression,
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createRunExecutionData,
	deepCopy,
	isNodeClassInstance,
} from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IConnections,
	IDataObject,
	IExecuteData,
	IHookFunctions,
	IHttpRequestHelper,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	ITriggerFunctions,
	ITriggerResponse,
	IExecuteFunctions,
	IVersionedNodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WebhookSetupMethodNames,
	WebhookType,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { forgetRecentKeys } from '../../nodes/shared/n8n/runDedup';
import { MemoryProcessedData } from '../support/processed-data';

// ---------------------------------------------------------------------------------------------
// Process environment for n8n-core's DI services
// ---------------------------------------------------------------------------------------------

/*
 * n8n-core resolves its services (InstanceSettings, Logger, BinaryDataService, ErrorReporter, …)
 * lazily from its own `@n8n/di` container the first time a node context is created. Those read
 * their configuration from the environment, so it is set here, at import time, before any of them
 * exists: a throw-away n8n user folder (InstanceSettings writes `<folder>/.n8n/config` with a fresh
 * encryption key), a silent logger, and the `default` binary-data mode, in which
 * `prepareBinaryData` keeps the bytes base64-encoded inside the item (no filesystem, no database).
 */
const engineHome = mkdtempSync(join(tmpdir(), 'n8n-engine-harness-'));
process.env.N8N_USER_FOLDER = engineHome;
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'default';
if (typeof afterAll === 'function') {
	afterAll(() => rmSync(engineHome, { recursive: true, force: true }));
}

/*
 * n8n's processed-data table (`this.helpers.checkProcessedAndRecord`): n8n initialises the service
 * at startup with its database-backed helper; here an in-memory one that behaves the same, emptied
 * before every test so that tests do not see each other's keys.
 */
export const processedData = new MemoryProcessedData();
void DataDeduplicationService.init(processedData);
if (typeof beforeEach === 'function') {
	beforeEach(() => {
		processedData.rows.clear();
		forgetRecentKeys();
		processedData.failNext = 0;
		processedData.calls = 0;
	});
}

const WORKFLOW_ID = 'harness-workflow';
const DEFAULT_WEBHOOK_BASE_URL = 'http://localhost:5678/webhook';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type HarnessNodeType = INodeType | IVersionedNodeType;

export interface EngineOptions {
	nodes: INode[];
	connections: IConnections;
	/** Node classes by the type name used in `INode.type`, e.g. `n8n-nodes-360dialog.dialog360Normalize`. */
	nodeTypes: Record<string, HarnessNodeType>;
	/** Decrypted credential data by credential type name, e.g. `{ dialog360Api: { apiKey: 'k' } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Credential type definitions by name; needed for `authenticate`, `extends` and property defaults. */
	credentialTypes?: Record<string, ICredentialType>;
	/** The workflow's static data (`{ global: {...}, 'node:<name>': {...} }`). Copied, never mutated. */
	staticData?: IDataObject;
	/** Base URL n8n would serve production webhooks from. Default `http://localhost:5678/webhook`. */
	webhookBaseUrl?: string;
}

export interface RunWorkflowOptions extends EngineOptions {
	/**
	 * Start the run at `nodeName` with `items` as the data n8n puts on the execution stack for that
	 * node, exactly as n8n does for webhook-started executions. Webhook, trigger and poll nodes pass
	 * that data through unchanged, so `items` become the start node's output.
	 */
	startData?: { nodeName: string; items: INodeExecutionData[] };
	/** Defaults to `manual` without `startData` (trigger nodes really trigger) and `webhook` with it. */
	mode?: WorkflowExecuteMode;
}

export interface RunWorkflowResult {
	/** n8n's execution status: `success`, `error`, `canceled`, `waiting`, … */
	status: string;
	/** `resultData.error` of the run (a plain copy of the thrown n8n error: message, node, description, …). */
	error?: ExecutionError;
	/** Items on output `outputIndex` (default 0) of the node's last run. Throws if the node never ran. */
	outputOf(nodeName: string, outputIndex?: number): INodeExecutionData[];
	runData: IRunData;
	/** The full `IRun` returned by `WorkflowExecute`. */
	run: IRun;
	/** The workflow's static data after the run, as plain JSON. */
	staticData: IDataObject;
}

export interface WebhookRequest {
	headers: Record<string, string>;
	body: unknown;
	/** Exact request bytes (for signature checks). Default: `body` as sent (string) or JSON-encoded. */
	rawBody?: Buffer;
	query?: Record<string, string>;
	params?: Record<string, string>;
	method?: 'POST' | 'GET';
}

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
	headers: Record<string, string>;
}

export interface RunWebhookTriggerOptions extends EngineOptions {
	triggerNodeName: string;
	request: WebhookRequest;
	/** Which webhook description of the node is being called (`default` or `setup`). Default `default`. */
	webhookName?: string;
}

export interface RunWebhookTriggerResult {
	webhookResponse: IWebhookResponseData;
	/**
	 * What the HTTP caller receives: whatever the node wrote to `res`, or else n8n's
	 * `responseMode: onReceived` answer (`webhookResponse`, or `{ message: 'Workflow was started' }`
	 * / `{ message: 'Webhook call received' }`, with status 200).
	 */
	response: RecordedResponse;
	/** The workflow run started from the trigger's `workflowData`, if it returned any. */
	run?: RunWorkflowResult;
	/** The workflow's static data after `webhook()` (and the run, if any), as plain JSON. */
	staticData: IDataObject;
}

export interface RunHookMethodOptions extends EngineOptions {
	nodeName: string;
	method: WebhookSetupMethodNames;
	/** If given, `this.getNodeWebhookUrl(<webhookName>)` returns exactly this URL. */
	webhookUrl?: string;
	/** Which webhook's setup methods to call (`default` or `setup`). Default `default`. */
	webhookName?: string;
	activation?: WorkflowActivateMode;
	/** `webhook` (default) for publishing; `manual` is what n8n uses while listening for a test event. */
	mode?: WorkflowExecuteMode;
}

export interface RunHookMethodResult {
	result: boolean;
	staticData: IDataObject;
}

// ---------------------------------------------------------------------------------------------
// Node types registry
// ---------------------------------------------------------------------------------------------

export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, HarnessNodeType>) {}

	getByName(nodeType: string): HarnessNodeType {
		const type = this.types[nodeType];
		if (type === undefined) {
			throw new UnexpectedError(
				`Node type "${nodeType}" is not known to the harness; pass it in \`nodeTypes\` (known: ${Object.keys(this.types).join(', ')})`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

// ---------------------------------------------------------------------------------------------
// Credentials helper
// ---------------------------------------------------------------------------------------------

type AuthTarget = Record<string, IDataObject | undefined>;

/**
 * An in-memory `ICredentialsHelper`, following n8n's CLI `CredentialsHelper` for the parts that
 * matter to nodes: `getDecrypted` (with credential-type defaults applied), generic and function
 * `authenticate`, `preAuthentication` for expirable credentials, and `extends` parent types.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly store: Record<string, ICredentialDataDecryptedObject>;

	constructor(
		credentials: Record<string, ICredentialDataDecryptedObject> = {},
		private readonly credentialTypes: Record<string, ICredentialType> = {},
	) {
		super();
		this.store = deepCopy(credentials);
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.credentialTypes[credentialType];
		if (type?.restrictToSupportedNodes !== true) return true;
		return type.supportedNodes?.includes(nodeType) ?? false;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			const target = requestOptions as unknown as AuthTarget;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				if (outerValue === undefined || typeof outerValue !== 'object') continue;
				for (const [key, value] of Object.entries(outerValue as IDataObject)) {
					const resolvedKey = this.resolveValue(key, credentials, workflow, node);
					const resolvedValue = this.resolveValue(value, credentials, workflow, node);
					target[outerKey] = { ...(target[outerKey] ?? {}), [resolvedKey]: resolvedValue };
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes[typeName];
		const expirable = type?.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (type?.preAuthentication === undefined || expirable === undefined) return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) {
			return undefined;
		}
		const output = await type.preAuthentication.call(helpers, credentials);
		const updated = { ...credentials, ...output } as ICredentialDataDecryptedObject;
		this.store[typeName] = updated;
		return updated;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes[typeName];
		if (type?.preAuthentication === undefined) return undefined;
		return { ...credentials, ...(await type.preAuthentication.call(helpers, credentials)) } as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const credentials = new Credentials(nodeCredentials, type);
		await credentials.setData(this.decrypted(type));
		return credentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return this.decrypted(type);
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = deepCopy(data);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...this.store[type], ...deepCopy(data) };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const own = this.credentialTypes[type]?.properties ?? [];
		const inherited = (this.credentialTypes[type]?.extends ?? []).flatMap((parent) =>
			this.getCredentialsProperties(parent),
		);
		const ownNames = new Set(own.map((property) => property.name));
		return [...inherited.filter((property) => !ownNames.has(property.name)), ...own];
	}

	/** Like n8n: a fresh copy per call, with the credential type's property defaults filled in. */
	private decrypted(type: string): ICredentialDataDecryptedObject {
		const data = this.store[type];
		if (data === undefined) {
			throw new UnexpectedError(
				`No credentials of type "${type}" were given to the harness (pass them in \`credentials\`)`,
			);
		}
		const properties = this.getCredentialsProperties(type);
		if (properties.length === 0) return deepCopy(data);
		const withDefaults = NodeHelpers.getNodeParameters(
			properties,
			deepCopy(data) as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return { ...deepCopy(data), ...(withDefaults ?? {}) } as ICredentialDataDecryptedObject;
	}

	/** n8n's `resolveValue`: `=`-prefixed strings are expressions over `$credentials`. */
	private resolveValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow?: Workflow,
		node?: INode,
	): string {
		if (typeof value !== 'string' || !value.startsWith('=')) return String(value);
		const keys = { $credentials: credentials };
		const resolved =
			workflow !== undefined && node !== undefined
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', keys, undefined, '')
				: Expression.resolveWithoutWorkflow(value, keys);
		if (resolved === undefined || resolved === null || resolved === '') return '';
		return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
	}
}

// ---------------------------------------------------------------------------------------------
// Helper nodes for tests
// ---------------------------------------------------------------------------------------------

/** Same behaviour as n8n's Manual Trigger: emits one empty item when the workflow is run manually. */
export class HarnessManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Manual Trigger',
		name: 'harnessManualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a harness workflow run',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/** Passes its input through unchanged; use it as a downstream "collector". */
export class HarnessNoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness No Op',
		name: 'harnessNoOp',
		group: ['transform'],
		version: 1,
		description: 'Passes items through',
		defaults: { name: 'No Op' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export const manualTriggerNode = new HarnessManualTrigger();
export const noOpNode = new HarnessNoOp();
export const MANUAL_TRIGGER_TYPE = 'harness.manualTrigger';
export const NO_OP_TYPE = 'harness.noOp';

/** Builds an `INode` with sensible defaults (id from the name, typeVersion 1, empty parameters). */
export function makeNode(node: Partial<INode> & Pick<INode, 'name' | 'type'>): INode {
	return {
		id: node.id ?? `id-${node.name.replace(/\W+/g, '-').toLowerCase()}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...node,
	};
}

/** `connect(['A', 'B', 'C'])` wires A → B → C on main output 0 / input 0. */
export function connect(chain: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < chain.length - 1; i++) {
		connections[chain[i]] = {
			main: [[{ node: chain[i + 1], type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return connections;
}

// ---------------------------------------------------------------------------------------------
// Engine wiring
// ---------------------------------------------------------------------------------------------

let executionCounter = 0;

interface Engine {
	workflow: Workflow;
	workflowData: IWorkflowBase;
	credentialsHelper: HarnessCredentialsHelper;
	webhookBaseUrl: string;
}

function createEngine(opts: EngineOptions): Engine {
	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes);
	const nodes = deepCopy(opts.nodes).map((node) => attachCredentials(node, nodeTypes, opts.credentials));
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: deepCopy(opts.connections),
		settings: { executionOrder: 'v1' },
		staticData: deepCopy(opts.staticData ?? {}),
		activeVersionId: null,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		staticData: workflowData.staticData,
		settings: workflowData.settings,
	});
	return {
		workflow,
		workflowData,
		credentialsHelper: new HarnessCredentialsHelper(opts.credentials, opts.credentialTypes),
		webhookBaseUrl: opts.webhookBaseUrl ?? DEFAULT_WEBHOOK_BASE_URL,
	};
}

/**
 * n8n only hands credentials to a node whose `INode.credentials` names them. Tests usually do not
 * care about credential ids, so every credential the caller supplied and the node type declares is
 * attached (`{ id: 'harness-<type>', name: <type> }`) unless the node already sets it.
 */
function attachCredentials(
	node: INode,
	nodeTypes: HarnessNodeTypes,
	credentials: Record<string, ICredentialDataDecryptedObject> | undefined,
): INode {
	const declared = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.credentials ?? [];
	for (const { name } of declared) {
		if (credentials?.[name] === undefined || node.credentials?.[name] !== undefined) continue;
		node.credentials = { ...node.credentials, [name]: { id: `harness-${name}`, name } };
	}
	return node;
}

function createAdditionalData(
	engine: Engine,
	mode: WorkflowExecuteMode,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async (): Promise<never> => {
		throw new UnexpectedError(`${what} is not supported by the engine harness`);
	};
	const hooks = new ExecutionLifecycleHooks(mode, executionId, engine.workflowData);
	const baseUrl = 'http://localhost:5678/';
	return {
		credentialsHelper: engine.credentialsHelper,
		hooks,
		executionId,
		workflowId: engine.workflow.id,
		currentNodeExecutionIndex: 0,
		executeWorkflow: unsupported('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('Running code in a task runner'),
		logAiEvent: () => {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		variables: {},
		restApiUrl: `${baseUrl}rest`,
		instanceBaseUrl: baseUrl,
		formBaseUrl: `${baseUrl}form`,
		formWaitingBaseUrl: `${baseUrl}form-waiting`,
		formTestBaseUrl: `${baseUrl}form-test`,
		webhookBaseUrl: engine.webhookBaseUrl,
		webhookWaitingBaseUrl: `${baseUrl}webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}webhook-test`,
		mcpBaseUrl: `${baseUrl}mcp`,
		mcpTestBaseUrl: `${baseUrl}mcp-test`,
	};
}

function nextExecutionId(): string {
	executionCounter += 1;
	return String(executionCounter);
}

function plainStaticData(workflow: Workflow): IDataObject {
	return JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
}

function getNodeOrThrow(workflow: Workflow, nodeName: string): INode {
	const node = workflow.getNode(nodeName);
	if (node === null) {
		throw new UnexpectedError(
			`Node "${nodeName}" is not in the workflow (nodes: ${Object.keys(workflow.nodes).join(', ')})`,
		);
	}
	return node;
}

async function execute(
	engine: Engine,
	mode: WorkflowExecuteMode,
	start?: { nodeName: string; outputs: INodeExecutionData[][] },
): Promise<RunWorkflowResult> {
	const { workflow } = engine;
	const additionalData = createAdditionalData(engine, mode, nextExecutionId());

	let run: IRun;
	if (start !== undefined) {
		// What n8n's webhook helpers do with a trigger's `workflowData`: put the start node on the
		// execution stack with that data and let the engine process the stack.
		const startNode = getNodeOrThrow(workflow, start.nodeName);
		const nodeExecutionStack: IExecuteData[] = [
			{ node: startNode, data: { main: start.outputs }, source: null },
		];
		const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack } });
		run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
			workflow,
		);
	} else {
		const startNode = workflow.getStartNode();
		if (startNode === undefined) {
			throw new UnexpectedError('The workflow has no start node (add a trigger node)');
		}
		run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	}

	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		error: run.data.resultData.error,
		runData,
		run,
		staticData: plainStaticData(workflow),
		outputOf(nodeName: string, outputIndex = 0): INodeExecutionData[] {
			const taskData = runData[nodeName]?.at(-1);
			if (taskData === undefined) {
				throw new UnexpectedError(
					`Node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ') || 'nothing'})`,
				);
			}
			return taskData.data?.main?.[outputIndex] ?? [];
		},
	};
}

// ---------------------------------------------------------------------------------------------
// runWorkflow
// ---------------------------------------------------------------------------------------------

export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const engine = createEngine(opts);
	const mode = opts.mode ?? (opts.startData ? 'webhook' : 'manual');
	const start = opts.startData
		? { nodeName: opts.startData.nodeName, outputs: [opts.startData.items] }
		: undefined;
	return await execute(engine, mode, start);
}

// ---------------------------------------------------------------------------------------------
// Fake express request / response
// ---------------------------------------------------------------------------------------------

/** Records what a node does with the express `res` object. */
export class RecordingResponse {
	statusCode = 200;
	statusSet = false;
	body?: unknown;
	headers: Record<string, string> = {};
	headersSent = false;
	finished = false;

	status(code: number): this {
		this.statusCode = code;
		this.statusSet = true;
		return this;
	}

	sendStatus(code: number): this {
		return this.status(code).send(String(code));
	}

	setHeader(name: string, value: string | number | readonly string[]): this {
		this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		return this;
	}

	header(name: string | Record<string, string>, value?: string): this {
		if (typeof name === 'object') {
			for (const [key, headerValue] of Object.entries(name)) this.setHeader(key, headerValue);
			return this;
		}
		return this.setHeader(name, value ?? '');
	}

	set(name: string | Record<string, string>, value?: string): this {
		return this.header(name, value);
	}

	getHeader(name: string): string | undefined {
		return this.headers[name.toLowerCase()];
	}

	type(contentType: string): this {
		const full = contentType.includes('/') ? contentType : `application/${contentType}`;
		return this.setHeader('content-type', full);
	}

	writeHead(code: number, headers?: Record<string, string>): this {
		this.status(code);
		if (headers) this.header(headers);
		this.headersSent = true;
		return this;
	}

	json(body: unknown): this {
		if (this.getHeader('content-type') === undefined) this.type('json');
		return this.finish(body);
	}

	send(body?: unknown): this {
		return this.finish(body);
	}

	end(body?: unknown): this {
		return this.finish(body);
	}

	private finish(body: unknown): this {
		if (body !== undefined) this.body = body;
		this.headersSent = true;
		this.finished = true;
		return this;
	}
}

/** Content types n8n's parseRequestBody() reads for a start node of version 2 or later. */
const READ_FOR_LATER_VERSIONS = /^(application\/json|text\/plain|application\/x-www-form-urlencoded)|[/+]xml$/;

/**
 * The request as n8n 2.40's parseRequestBody() (webhook-helpers.js) hands it to the start node: a
 * version 1 node always gets its body read; a later version only for the content types above,
 * otherwise body and rawBody stay unset until the node calls readRawBody().
 */
function createRequest(request: WebhookRequest, url: string, nodeVersion: number) {
	const headers = Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
	const rawBody =
		request.rawBody ??
		Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {}));
	const contentType = headers['content-type']?.split(';')[0]?.trim();
	const read = nodeVersion === 1 || READ_FOR_LATER_VERSIONS.test(contentType ?? '');
	const httpRequest = {
		method: request.method ?? 'POST',
		url,
		originalUrl: url,
		path: new URL(url).pathname,
		headers,
		body: read ? request.body : undefined,
		rawBody: read ? rawBody : undefined,
		contentType,
		query: request.query ?? {},
		params: request.params ?? {},
		readRawBody: async () => {
			httpRequest.rawBody = rawBody;
		},
		get: (name: string) => headers[name.toLowerCase()],
		header: (name: string) => headers[name.toLowerCase()],
	};
	return httpRequest;
}

// ---------------------------------------------------------------------------------------------
// runWebhookTrigger
// ---------------------------------------------------------------------------------------------

/** What n8n's CLI `getNodeWebhooks` builds for one webhook description of a node. */
function buildWebhookData(
	engine: Engine,
	node: INode,
	webhookName: WebhookType,
	additionalData: IWorkflowExecuteAdditionalData,
	mode: WorkflowExecuteMode,
): IWebhookData {
	const nodeType = engine.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description: IWebhookDescription | undefined = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === webhookName,
	);
	if (description === undefined) {
		throw new UnexpectedError(`Node "${node.name}" has no webhook description named "${webhookName}"`);
	}
	const resolve = (value: string | boolean | undefined, fallback: string) =>
		String(
			engine.workflow.expression.getSimpleParameterValue(node, value, mode, {}, undefined, fallback) ??
				fallback,
		);
	return {
		httpMethod: resolve(description.httpMethod, 'POST') as IHttpRequestMethods,
		node: node.name,
		path: resolve(description.path, ''),
		webhookDescription: description,
		workflowId: engine.workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: false,
	};
}

function toWebhookType(name: string | undefined): WebhookType {
	const webhookName = name ?? 'default';
	if (webhookName !== 'default' && webhookName !== 'setup') {
		throw new UnexpectedError(`n8n only knows the webhook names "default" and "setup", not "${webhookName}"`);
	}
	return webhookName;
}

function nodeTypeOf(engine: Engine, node: INode): INodeType {
	return engine.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
}

export async function runWebhookTrigger(opts: RunWebhookTriggerOptions): Promise<RunWebhookTriggerResult> {
	const engine = createEngine(opts);
	const mode: WorkflowExecuteMode = 'webhook';
	const node = getNodeOrThrow(engine.workflow, opts.triggerNodeName);
	const nodeType = nodeTypeOf(engine, node);
	if (nodeType.webhook === undefined) {
		throw new UnexpectedError(`Node "${node.name}" (${node.type}) has no webhook() method`);
	}

	const additionalData = createAdditionalData(engine, mode, nextExecutionId());
	const webhookName = toWebhookType(opts.webhookName);
	const webhookData = buildWebhookData(engine, node, webhookName, additionalData, mode);
	const url = NodeHelpers.getNodeWebhookUrl(
		engine.webhookBaseUrl,
		engine.workflow.id,
		node,
		webhookData.path,
		webhookData.webhookDescription.isFullPath === true,
	);
	const res = new RecordingResponse();
	additionalData.httpRequest = createRequest(opts.request, url, node.typeVersion);
	additionalData.httpResponse = res;

	const context = new WebhookContext(engine.workflow, node, additionalData, mode, webhookData, [], null);
	const webhookResponse = isNodeClassInstance(nodeType)
		? await nodeType.webhook(context as IWebhookFunctions)
		: await nodeType.webhook.call(context);

	if (!res.finished && webhookResponse.noWebhookResponse !== true) {
		// n8n's default answer for `responseMode: onReceived` when the node did not respond itself.
		const fallback =
			webhookResponse.workflowData === undefined
				? { message: 'Webhook call received' }
				: { message: 'Workflow was started' };
		res.json(webhookResponse.webhookResponse ?? fallback);
	}

	let run: RunWorkflowResult | undefined;
	if (webhookResponse.workflowData !== undefined) {
		run = await execute(engine, mode, { nodeName: node.name, outputs: webhookResponse.workflowData });
	}

	return {
		webhookResponse,
		response: {
			statusCode: res.finished || res.statusSet ? res.statusCode : undefined,
			body: res.body,
			headers: res.headers,
		},
		run,
		staticData: plainStaticData(engine.workflow),
	};
}

// ---------------------------------------------------------------------------------------------
// runHookMethod
// ---------------------------------------------------------------------------------------------

/** The real `HookContext`, optionally pinning what `getNodeWebhookUrl` returns for one webhook. */
class HarnessHookContext extends HookContext {
	constructor(
		workflow: Workflow,
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		webhookData: IWebhookData,
		private readonly pinnedWebhookUrl?: { name: WebhookType; url: string },
	) {
		super(workflow, node, additionalData, mode, activation, webhookData);
	}

	override getNodeWebhookUrl(name: WebhookType): string | undefined {
		if (this.pinnedWebhookUrl?.name === name) return this.pinnedWebhookUrl.url;
		return super.getNodeWebhookUrl(name);
	}
}

export async function runHookMethod(opts: RunHookMethodOptions): Promise<RunHookMethodResult> {
	const engine = createEngine(opts);
	const mode: WorkflowExecuteMode = opts.mode ?? 'webhook';
	const node = getNodeOrThrow(engine.workflow, opts.nodeName);
	const webhookName = toWebhookType(opts.webhookName);
	const hook = nodeTypeOf(engine, node).webhookMethods?.[webhookName]?.[opts.method];
	if (hook === undefined) {
		throw new UnexpectedError(`Node "${node.name}" has no webhookMethods.${webhookName}.${opts.method}`);
	}
	const additionalData = createAdditionalData(engine, mode, nextExecutionId());
	const webhookData = buildWebhookData(engine, node, webhookName, additionalData, mode);
	const context: IHookFunctions = new HarnessHookContext(
		engine.workflow,
		node,
		additionalData,
		mode,
		opts.activation ?? 'activate',
		webhookData,
		opts.webhookUrl === undefined ? undefined : { name: webhookName, url: opts.webhookUrl },
	);
	const result = await hook.call(context);
	return { result, staticData: plainStaticData(engine.workflow) };
}
