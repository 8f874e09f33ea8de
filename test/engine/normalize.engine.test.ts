import type { INodeExecutionData } from 'n8n-workflow';

import { Dialog360Normalize } from '../../nodes/Dialog360Normalize/Dialog360Normalize.node';
import { normalize } from '../../index';
import { cloudMessages, DOCS_CUSTOMER, DOCS_NUMBER, onPremiseBody, textMessage } from '../support/payloads';
import { corpusAvailable, corpusFiles, corpusPayload } from '../support/corpus';
import { connect, makeNode, NO_OP_TYPE, noOpNode, runWorkflow } from './harness';
import { NODE_TYPES } from '../support/node-types';

const NORMALIZE_TYPE = NODE_TYPES.normalize;

const cloudText = cloudMessages(
	{
		messages: [textMessage('wamid.A', 'Hi', DOCS_CUSTOMER.waId, '1749416383'), textMessage('wamid.B', 'Still there?', DOCS_CUSTOMER.waId, '1749416384')],
		statuses: [{ id: 'wamid.OUT', status: 'read', timestamp: '1749416385', recipient_id: DOCS_CUSTOMER.waId }],
	},
	DOCS_NUMBER,
	DOCS_CUSTOMER,
);

const onPremiseVoice = onPremiseBody(
	{
		messages: [
			{
				from: '16315551234',
				id: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf',
				timestamp: '1521827831',
				type: 'voice',
				voice: { id: '463eb7ec-ff4e-4d9b-b110-1879cbd411b2', mime_type: 'audio/ogg; codecs=opus', sha256: 'fa9e18' },
			},
		],
	},
	{ waId: '16315551234', name: 'Kerry Fisher' },
);

/** Webhook-shaped items enter at a NoOp start node ("Webhook"), then the Normalize node runs. */
async function runNormalize(items: INodeExecutionData[], parameters: Record<string, unknown> = {}, continueOnFail = false) {
	return await runWorkflow({
		nodes: [
			makeNode({ name: 'Webhook', type: NO_OP_TYPE }),
			makeNode({
				name: 'Normalize',
				type: NORMALIZE_TYPE,
				parameters: parameters as never,
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			}),
		],
		connections: connect(['Webhook', 'Normalize']),
		nodeTypes: { [NO_OP_TYPE]: noOpNode, [NORMALIZE_TYPE]: new Dialog360Normalize() },
		startData: { nodeName: 'Webhook', items },
	});
}

describe('360dialog Normalize through n8n-core WorkflowExecute', () => {
	it('splits each webhook item into one item per event, paired to its input', async () => {
		const run = await runNormalize([{ json: { headers: {}, body: cloudText } }, { json: { body: onPremiseVoice } }]);
		expect(run.status).toBe('success');
		const out = run.outputOf('Normalize');
		expect(out.map((item) => item.json.event)).toEqual(['message.text', 'message.text', 'status.read', 'message.audio']);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({ from: '16505551234', contactName: 'Sheena Nelson', text: 'Hi', phoneNumberId: '106540352242922', source: 'cloud' });
		expect(out[3].json).toMatchObject({ source: 'on_premise', type: 'audio', media: { voice: true, mimeType: 'audio/ogg; codecs=opus' } });
	});

	it('uses the whole item when the body field is absent, and a custom field when set', async () => {
		const whole = await runNormalize([{ json: cloudText as never }]);
		expect(whole.outputOf('Normalize')).toHaveLength(3);
		const custom = await runNormalize([{ json: { payload: onPremiseVoice } }], { bodyField: 'payload' });
		expect(custom.outputOf('Normalize').map((item) => item.json.messageId)).toEqual(['ABGGFlA5FpafAgo6tHcNmNjXmuSf']);
	});

	it('evaluates a parameter expression for each item', async () => {
		const run = await runNormalize(
			[
				{ json: { where: 'cloudBody', cloudBody: cloudText } },
				{ json: { where: 'voiceBody', voiceBody: onPremiseVoice } },
			],
			{ bodyField: '={{ $json.where }}' },
		);
		expect(run.status).toBe('success');
		expect(run.outputOf('Normalize').map((item) => [item.json.source, item.pairedItem])).toEqual([
			['cloud', { item: 0 }],
			['cloud', { item: 0 }],
			['cloud', { item: 0 }],
			['on_premise', { item: 1 }],
		]);
	});

	it('filters events and keeps raw only when asked', async () => {
		const run = await runNormalize([{ json: { body: cloudText } }], { events: ['group:statuses'], options: { includeRaw: true } });
		const out = run.outputOf('Normalize');
		expect(out.map((item) => item.json.event)).toEqual(['status.read']);
		expect(out[0].json.raw).toEqual(cloudText.entry[0].changes[0].value.statuses[0]);
		const plain = await runNormalize([{ json: { body: cloudText } }]);
		expect(plain.outputOf('Normalize').every((item) => !('raw' in item.json))).toBe(true);
	});

	it('puts the fields a person reads first: event, sender, name, text, type, time', async () => {
		const out = (await runNormalize([{ json: { body: cloudText } }])).outputOf('Normalize');
		expect(Object.keys(out[0].json).slice(0, 6)).toEqual(['event', 'from', 'contactName', 'text', 'type', 'timestamp']);
		expect(Object.keys(out[2].json).slice(0, 4)).toEqual(['event', 'status', 'recipientId', 'timestamp']);
		// The same order without the node, and for On-Premise bodies.
		expect(Object.keys(normalize(onPremiseVoice)[0]).slice(0, 6)).toEqual(['event', 'from', 'contactName', 'text', 'type', 'timestamp']);
	});

	it('Simplify (off by default) leaves out null fields and raw, top level only, keeping the order', async () => {
		const full = (await runNormalize([{ json: { body: cloudText } }], { options: { includeRaw: true } })).outputOf('Normalize');
		expect(full[0].json.location).toBeNull();
		expect(full[0].json.raw).toBeDefined();

		const run = await runNormalize([{ json: { body: cloudText } }], { simplify: true, options: { includeRaw: true } });
		const out = run.outputOf('Normalize');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		const text = out[0].json;
		expect(Object.values(text)).not.toContain(null);
		expect(text).not.toHaveProperty('raw');
		expect(Object.keys(text).slice(0, 6)).toEqual(['event', 'from', 'contactName', 'text', 'type', 'timestamp']);
		// Everything that was not null is still there, nested nulls included.
		const kept = Object.fromEntries(Object.entries(full[0].json).filter(([key, value]) => value !== null && key !== 'raw'));
		expect(text).toEqual(kept);
	});

	it('fails the run with the item index and a fix when a body is not a 360dialog payload', async () => {
		const run = await runNormalize([{ json: { body: cloudText } }, { json: { body: { object: 'page', entry: [] } } }]);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/not a 360dialog webhook/);
		expect(JSON.stringify(run.error)).toMatch(/Payload Format/);
		expect(run.error).toMatchObject({ context: { itemIndex: 1 } });
		const forced = await runNormalize([{ json: { body: cloudText } }], { format: 'partner' });
		expect(forced.status).toBe('error');
		expect(forced.error?.message).toMatch(/Expected a Partner Hub event/);
	});

	it('with Continue On Fail, emits an error item for the bad input and goes on', async () => {
		const run = await runNormalize([{ json: { body: { object: 'page', entry: [] } } }, { json: { body: onPremiseVoice } }], {}, true);
		expect(run.status).toBe('success');
		const out = run.outputOf('Normalize');
		expect(out[0].json).toMatchObject({ path: '$' });
		expect(String(out[0].json.error)).toMatch(/not a 360dialog webhook/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json.event).toBe('message.audio');
	});

	it('keeps a bad element as an unknown item with its path, and the valid events beside it', async () => {
		const body = { ...onPremiseVoice, messages: [null, ...onPremiseVoice.messages] };
		const run = await runNormalize([{ json: { body } }]);
		expect(run.status).toBe('success');
		const out = run.outputOf('Normalize');
		expect(out.map((item) => item.json.event)).toEqual(['unknown', 'message.audio']);
		expect(out[0].json).toMatchObject({ kind: 'unknown', path: '$.messages[0]', value: null, problem: '`messages` must hold objects, got null' });
		// Under a filter that does not select Unknown, only the valid event remains.
		const filtered = await runNormalize([{ json: { body } }], { events: ['group:messages'] });
		expect(filtered.outputOf('Normalize').map((item) => item.json.event)).toEqual(['message.audio']);
	});

	(corpusAvailable() ? it : it.skip)('gives the same items as normalize() for every corpus payload', async () => {
		const files = corpusFiles();
		const run = await runNormalize(files.map((file) => ({ json: { body: corpusPayload(file) as never } })));
		expect(run.status).toBe('success');
		const expected = files.flatMap((file) => normalize(corpusPayload(file)));
		expect(run.outputOf('Normalize').map((item) => item.json)).toEqual(JSON.parse(JSON.stringify(expected)));
	});
});
