/**
 * Hostile bodies through both triggers' webhook() in n8n-core's WebhookContext and, when a run
 * starts, through WorkflowExecute: whatever an authenticated sender posts, the answer is 2xx or 4xx
 * (a 5xx makes 360dialog retry the same body for days), the run succeeds, its items can be stored
 * as JSON, and nothing reaches Object.prototype.
 */
import fc from 'fast-check';
import type { INodeParameters } from 'n8n-workflow';

import { CUT_MARKER } from '../../nodes/shared/core/normalize/read';
import { MAX_BODY_DEPTH } from '../../nodes/shared/n8n/webhook';
import {
	cloudCredentials,
	credentialTypes,
	messagingNode,
	nodeTypes,
	PARTNER_API_KEY,
	PARTNER_ID,
	PARTNER_TRIGGER_NAME,
	partnerNode,
	TRIGGER_NAME,
} from '../support/trigger-fixtures';
import {
	sign,
	SIGNING_SECRET,
} from '../support/payloads';
import { connect, makeNode, NO_OP_TYPE, noOpNode, runWebhookTrigger, type RunWebhookTriggerResult } from './harness';

// ---------------------------------------------------------------------------------------------
// Hostile bodies, as JSON text: JSON.parse handles any depth, JSON.stringify does not.
// ---------------------------------------------------------------------------------------------

const nested = (depth: number, leaf: string): string => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const nestedList = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const TEXT = '{"from":"1","id":"wamid.ok","timestamp":"1749416383","type":"text","text":{"body":"Hi"}}';
const cloud = (value: string): string =>
	`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":${value}}]}]}`;
const repeat = (element: string, count: number): string => Array.from({ length: count }, () => element).join(',');

const jsonText = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
const depth = fc.integer({ min: 1, max: 6000 });

const hostileBody: fc.Arbitrary<string> = fc.oneof(
	// Deep nesting, at the top and inside every place the normalizer reads.
	depth.map((d) => nested(d, '1')),
	depth.map((d) => nestedList(d)),
	depth.map((d) => `{"id":"e","event":"account_violation","data":{"phone_number":"1","violation_info":${nested(d, '{"violation_type":"SCAM"}')}}}`),
	depth.map((d) => `{"event":"channel_live","data":${nested(d, '{}')}}`),
	depth.map((d) => cloud(`{"messages":[${TEXT.replace('"text":{"body":"Hi"}', `"text":${nested(d, '"Hi"')}`)}]}`)),
	depth.map((d) => `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"brand_new","value":${nested(d, '{}')}}]}]}`),
	depth.map((d) => `{"errors":[${nested(d, '{}')}]}`),
	// Huge lists of minimal or broken elements, around the per-body limit.
	fc.integer({ min: 0, max: 12_000 }).map((n) => `{"messages":[${repeat('{}', n)}]}`),
	fc.integer({ min: 0, max: 12_000 }).map((n) => `{"statuses":[${repeat('null', n)}]}`),
	fc.integer({ min: 0, max: 3_000 }).map((n) => `[${repeat('{"event":"channel_live","data":{}}', n)}]`),
	fc.integer({ min: 0, max: 3_000 }).map((n) => `[${repeat(cloud(`{"messages":[${TEXT}]}`), n)}]`),
	// Wrong types where containers belong.
	fc.tuple(fc.constantFrom('entry', 'changes', 'value', 'messages', 'contacts', 'statuses'), jsonText).map(([place, value]) =>
		place === 'entry'
			? `{"object":"whatsapp_business_account","entry":${value}}`
			: place === 'changes'
				? `{"object":"whatsapp_business_account","entry":[{"changes":${value}}]}`
				: place === 'value'
					? cloud(value)
					: cloud(`{"${place}":${value},"messages":[${TEXT}]}`),
	),
	fc.tuple(fc.constantFrom('event', 'data', 'id'), jsonText).map(([key, value]) => `{"event":"channel_live","data":{},"${key}":${value}}`),
	// Keys that would pollute a prototype if copied carelessly.
	fc.constantFrom(
		`{"__proto__":{"polluted":1},"messages":[${TEXT}]}`,
		`{"event":"channel_live","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}`,
		cloud(`{"__proto__":{"polluted":1},"messages":[{"__proto__":{"polluted":1},"type":"text"}]}`),
		`{"statuses":[{"id":"w","status":"__proto__","errors":[{"__proto__":{"polluted":1}}]}]}`,
	),
	// Anything at all.
	jsonText,
	fc.string(),
);

// ---------------------------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------------------------

const HEADERS = { 'content-type': 'application/json', __proto__: 'x', 'x-api-key': 'secret' } as unknown as Record<string, string>;

async function deliver(trigger: 'messaging' | 'partner', text: string, parameters: INodeParameters): Promise<RunWebhookTriggerResult> {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = {}; // What n8n leaves for a body it could not parse: the node reads rawBody.
	}
	const rawBody = Buffer.from(text);
	const node = trigger === 'messaging' ? messagingNode({ authentication: 'none', ...parameters }) : partnerNode(parameters);
	const name = trigger === 'messaging' ? TRIGGER_NAME : PARTNER_TRIGGER_NAME;
	return await runWebhookTrigger({
		nodes: [node, makeNode({ name: 'Next', type: NO_OP_TYPE })],
		connections: connect([name, 'Next']),
		nodeTypes: { ...nodeTypes, [NO_OP_TYPE]: noOpNode },
		credentials: {
			dialog360Api: cloudCredentials,
			dialog360PartnerApi: { partnerId: PARTNER_ID, apiKey: PARTNER_API_KEY, signingSecret: SIGNING_SECRET },
		},
		credentialTypes,
		triggerNodeName: name,
		request: {
			headers: trigger === 'partner' ? { ...HEADERS, 'x-360dialog-signature': sign(rawBody) } : HEADERS,
			body,
			rawBody,
		},
	});
}

function expectNoServerError(result: RunWebhookTriggerResult): void {
	const status = result.response.statusCode ?? 200;
	expect(status).toBeGreaterThanOrEqual(200);
	expect(status).toBeLessThan(500);
	if (result.run !== undefined) {
		expect(result.run.status).toBe('success');
		// n8n stores every item as JSON. (A run whose events all turned out to be redeliveries ends
		// in the trigger with no items, and Next does not run.)
		if (result.run.runData.Next !== undefined) expect(typeof JSON.stringify(result.run.outputOf('Next'))).toBe('string');
	}
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

const messagingParameters = fc.record({
	events: fc.constantFrom<string[]>(['*'], ['group:messages'], ['group:unknown'], ['*', 'message.text']),
	dedupe: fc.boolean(),
	options: fc.record({ includeRaw: fc.boolean(), includeHeaders: fc.boolean() }),
});
const partnerParameters = fc.record({
	preset: fc.constantFrom('all', 'alerts', 'templates'),
	minSeverity: fc.constantFrom('info', 'critical'),
	dedupe: fc.boolean(),
	options: fc.record({ includeRaw: fc.boolean(), includeHeaders: fc.boolean() }),
});

describe('hostile bodies from an authenticated sender', () => {
	it('never get a 5xx from the messaging trigger, and every run it starts succeeds', async () => {
		await fc.assert(
			fc.asyncProperty(hostileBody, messagingParameters, async (text, parameters) => {
				expectNoServerError(await deliver('messaging', text, parameters));
			}),
			{ numRuns: 60 },
		);
	});

	it('never get a 5xx from the partner trigger, and every run it starts succeeds', async () => {
		await fc.assert(
			fc.asyncProperty(hostileBody, partnerParameters, async (text, parameters) => {
				expectNoServerError(await deliver('partner', text, parameters));
			}),
			{ numRuns: 60 },
		);
	});

	it('cut what is nested too deep and deliver the rest', async () => {
		const text = cloud(`{"metadata":{"phone_number_id":"106"},"messages":[${TEXT},{"id":"wamid.deep","type":"text","from":"2","referral":${nested(5_000, '1')}}]}`);
		const result = await deliver('messaging', text, {});
		expectNoServerError(result);
		const items = result.run?.outputOf('Next') ?? [];
		expect(items.map((item) => item.json.messageId)).toEqual(['wamid.ok', 'wamid.deep']);
		const serialized = JSON.stringify(items[1].json);
		expect(serialized).toContain(CUT_MARKER);
		// The cut is at the body's depth limit, counted from the top of the body.
		expect(serialized.split('{"a":').length - 1).toBeLessThan(MAX_BODY_DEPTH);
	});

	it('keep a deep partner violation as bounded text', async () => {
		const text = `{"id":"e","event":"account_violation","data":{"phone_number":"1","violation_info":${nested(4_172, '{"violation_type":"SCAM"}')}}}`;
		const result = await deliver('partner', text, { preset: 'alerts' });
		expectNoServerError(result);
		const [item] = result.run?.outputOf('Next') ?? [];
		expect(item.json).toMatchObject({ event: 'partner.account_violation', severity: 'critical' });
		expect(typeof (item.json.violation as { info: unknown }).info).toBe('string');
	});

	it('answer 200 to a body far over the per-body event limit and deliver the first events and the rest unread', async () => {
		const result = await deliver('messaging', `{"messages":[${repeat(TEXT, 10_500)}]}`, { dedupe: false });
		expectNoServerError(result);
		const items = result.run?.outputOf('Next') ?? [];
		expect(items).toHaveLength(10_001);
		expect(items[10_000].json).toMatchObject({ kind: 'unknown', path: '$.messages[10000]' });
		expect((items[10_000].json.value as unknown[]).length).toBe(500);
	});
});
