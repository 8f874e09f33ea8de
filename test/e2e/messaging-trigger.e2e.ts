/**
 * The 360dialog Trigger inside a real n8n, through the simulator: registration on publish and
 * restore on unpublish, every corpus payload to exactly normalize()'s items in one execution,
 * filters, the secret header, dedup and batches. Expected items are always normalize() of the same
 * payload (the core), JSON round-tripped, never copied.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { messagingFilter, normalize } from '../../index';
import { corpusAvailable, corpusFiles, corpusText, type CorpusFile } from '../support/corpus';
import {
	activateWorkflow,
	deactivateWorkflow,
	e2eState,
	executionCaptures,
	executionCount,
	settledExecutionCount,
	postJson,
	queueMode,
	registeredHeaders,
	simulator,
	startedNothing,
	sleep,
	viaJson,
	waitForExecutions,
} from './harness';
import { CUT_MARKER } from '../../nodes/shared/core/normalize/read';
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { NUMBERS, textMessage, type NumberKey } from './fixtures';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS, WORKFLOW_IDS } from './workflows';

/** How long "nothing arrives" is watched for. Executions here finish in well under a second. */
const QUIET_MS = 2500;

const urlOf = (webhookId: string) => triggerWebhookUrl(e2eState().n8nUrl, webhookId);

/** normalize() of a payload through the given event filter, as JSON. */
function expectedItems(payload: unknown, events: string[] = ['*']): unknown[] {
	const keep = messagingFilter({ events });
	return viaJson(normalize(payload).filter(keep));
}

function fixturePayload(relative: string): unknown {
	const file = path.join(__dirname, '../fixtures', relative);
	return (JSON.parse(readFileSync(file, 'utf8')) as { payload: unknown }).payload;
}

async function deliverOk(numberKey: NumberKey, payload: unknown) {
	const outcome = await simulator().deliverMessaging(NUMBERS[numberKey].apiKey, payload, {
		retries: 0,
	});
	expect(outcome.main.attempts).toHaveLength(1);
	expect(outcome.main.attempts[0].status).toBe(200);
	return outcome.main.attempts[0];
}

describe('360dialog Trigger in n8n: registration', () => {
	const registered: Array<[NumberKey, string]> = [
		['cloud', WEBHOOK_IDS.triggerAllCloud],
		['onPremise', WEBHOOK_IDS.triggerAllOnPremise],
		['messagesOnly', WEBHOOK_IDS.triggerMessagesOnly],
		['dedupe', WEBHOOK_IDS.triggerDedupe],
		['lifecycle', WEBHOOK_IDS.triggerLifecycle],
		['load', WEBHOOK_IDS.triggerLoad],
		['mediaCloud', WEBHOOK_IDS.mediaCloud],
		['mediaOnPremise', WEBHOOK_IDS.mediaOnPremise],
	];

	it.each(registered)(
		'publishing registered the production URL and a secret header for number %s',
		async (key, webhookId) => {
			const number = await simulator().number(NUMBERS[key].apiKey);
			expect(number.webhook.url).toBe(urlOf(webhookId));
			expect(Object.keys(number.webhook.headers)).toEqual([GENERATED_HEADER_NAME]);
			expect(number.webhook.headers[GENERATED_HEADER_NAME]).toMatch(/^\S{32,}$/);
		},
	);

	it('every number got its own secret', async () => {
		const secrets = await Promise.all(
			registered.map(
				async ([key]) => (await registeredHeaders(NUMBERS[key].apiKey))[GENERATED_HEADER_NAME],
			),
		);
		expect(new Set(secrets).size).toBe(secrets.length);
	});

	it('unpublishing restores the previous URL and headers; republishing registers again', async () => {
		const sim = simulator();
		const apiKey = NUMBERS.lifecycle.apiKey;
		const url = urlOf(WEBHOOK_IDS.triggerLifecycle);
		const before = await sim.number(apiKey);
		expect(before.webhook.url).toBe(url);

		await deactivateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		const restored = await sim.number(apiKey);
		expect(restored.webhook).toEqual(NUMBERS.lifecycle.webhook);
		// n8n no longer serves the URL.
		expect(
			(await postJson(url, textMessage('wamid.off', 'off'), before.webhook.headers)).status,
		).toBe(404);

		await activateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		const again = await sim.number(apiKey);
		expect(again.webhook.url).toBe(url);
		expect(Object.keys(again.webhook.headers)).toEqual([GENERATED_HEADER_NAME]);
		expect(again.webhook.headers[GENERATED_HEADER_NAME]).toMatch(/^\S{32,}$/);
		// Unpublishing forgot the old secret, so a new one was generated.
		expect(again.webhook.headers[GENERATED_HEADER_NAME]).not.toBe(
			before.webhook.headers[GENERATED_HEADER_NAME],
		);

		// The new registration works end to end, and the old secret is refused.
		await sim.clearCaptures(CAPTURE_TAGS.triggerLifecycle);
		const payload = textMessage('wamid.lifecycle.1', 'after republish');
		await deliverOk('lifecycle', payload);
		const [execution] = await waitForExecutions(CAPTURE_TAGS.triggerLifecycle, 1);
		expect(execution.items).toEqual(expectedItems(payload));
		expect((await postJson(url, payload, before.webhook.headers)).status).toBe(401);

		// A second unpublish restores the seeded registration again, not our own URL.
		await deactivateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		expect((await sim.number(apiKey)).webhook).toEqual(NUMBERS.lifecycle.webhook);
		await activateWorkflow(WORKFLOW_IDS.triggerLifecycle);
		expect((await sim.number(apiKey)).webhook.url).toBe(url);
	});
});

const corpus = corpusFiles();
const describeCorpus = corpusAvailable() ? describe : describe.skip;

describeCorpus('360dialog Trigger in n8n: the corpus, delivered by the simulator', () => {
	const cases: Array<[string, CorpusFile['format'], NumberKey, string]> = [
		['Cloud API', 'cloud', 'cloud', CAPTURE_TAGS.triggerAllCloud],
		['On-Premise', 'onprem', 'onPremise', CAPTURE_TAGS.triggerAllOnPremise],
	];

	it.each(cases)(
		'%s: every payload gives exactly normalize() items, in one execution per delivery',
		async (_label, format, numberKey, tag) => {
			const files = corpus.filter((file) => file.format === format);
			expect(files.length).toBeGreaterThan(0);
			const sim = simulator();
			await sim.clearCaptures(tag);
			const executionIds = new Set<string>();
			for (const [index, file] of files.entries()) {
				const text = corpusText(file);
				const attempt = await deliverOk(numberKey, text);
				expect(startedNothing(attempt.responseBody)).toBe(false);
				const captures = await waitForExecutions(tag, index + 1);
				const latest = captures[index];
				expect({ file: file.path, items: latest.items }).toEqual({
					file: file.path,
					items: expectedItems(JSON.parse(text)),
				});
				executionIds.add(latest.executionId);
			}
			// One execution per delivery, and nothing more afterwards.
			await sleep(1000);
			expect(await executionCaptures(tag)).toHaveLength(files.length);
			expect(executionIds.size).toBe(files.length);
		},
		300000,
	);
});

describe('360dialog Trigger in n8n: filters, secret, dedup, batches', () => {
	it('a status-only payload to an All Messages workflow is answered 200 and starts nothing', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerMessagesOnly;
		await sim.clearCaptures(tag);
		const executionsBefore = await settledExecutionCount(WORKFLOW_IDS.triggerMessagesOnly);
		const status = fixturePayload('cloud/status-delivered.json');
		expect(expectedItems(status, ['group:messages'])).toEqual([]);

		const attempt = await deliverOk('messagesOnly', status);
		expect(JSON.parse(attempt.responseBody ?? '{}')).toMatchObject({ received: 1, started: false, filteredOut: 1, duplicates: 0, reason: expect.stringContaining('keeps waiting for one that matches') });
		await sleep(QUIET_MS);
		expect(await sim.captures(tag)).toEqual([]);
		expect(await executionCount(WORKFLOW_IDS.triggerMessagesOnly)).toBe(executionsBefore);

		// A mixed batch starts one execution with the messages only.
		const batch = fixturePayload('cloud/batch-two-entries.json');
		const messagesOnly = expectedItems(batch, ['group:messages']);
		expect(messagesOnly.length).toBeGreaterThan(0);
		expect(messagesOnly.length).toBeLessThan(expectedItems(batch).length);
		await deliverOk('messagesOnly', batch);
		const captures = await waitForExecutions(tag, 1, { settleMs: 1000 });
		expect(captures).toHaveLength(1);
		expect(captures[0].items).toEqual(messagesOnly);
		expect(await executionCount(WORKFLOW_IDS.triggerMessagesOnly)).toBe(executionsBefore + 1);
	});

	it('a body with one null contact and two valid messages gives the two messages under an All Messages filter', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerMessagesOnly;
		await sim.clearCaptures(tag);
		const first = textMessage('wamid.salvage.1', 'first');
		const second = textMessage('wamid.salvage.2', 'second');
		const value = first.entry[0].changes[0].value as Record<string, unknown> & { messages: unknown[]; contacts: unknown[] };
		const body = {
			...first,
			entry: [{ ...first.entry[0], changes: [{ field: 'messages', value: { ...value, contacts: [null, ...value.contacts], messages: [...value.messages, ...second.entry[0].changes[0].value.messages] } }] }],
		};
		const expected = expectedItems(body, ['group:messages']);
		expect(expected).toHaveLength(2);
		// Without the filter the bad contact would be a third, unknown item.
		expect(expectedItems(body)).toHaveLength(3);

		const answer = await deliverOk('messagesOnly', body);
		expect(JSON.parse(answer.responseBody ?? '{}')).toEqual({ received: 3, started: true, events: 2 });
		const [execution] = await waitForExecutions(tag, 1, { settleMs: 1000 });
		expect(execution.items).toEqual(expected);
		expect((execution.items as Array<{ messageId: string }>).map((item) => item.messageId)).toEqual(['wamid.salvage.1', 'wamid.salvage.2']);
	});

	it('a body nested thousands of levels deep is answered 200, cut at the depth limit, and delivered with its sibling', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerAllCloud;
		await sim.clearCaptures(tag);
		const plain = textMessage('wamid.deep.1', 'plain');
		const messages = plain.entry[0].changes[0].value.messages;
		const deep = `{"from":"16505551234","id":"wamid.deep.2","timestamp":"1749416383","type":"text","text":{"body":"deep"},"referral":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
		const raw = JSON.stringify(plain).replace(JSON.stringify(messages), `[${JSON.stringify(messages[0])},${deep}]`);
		expect(() => JSON.parse(raw)).not.toThrow();

		const answer = await deliverOk('cloud', raw);
		expect(JSON.parse(answer.responseBody ?? '{}')).toEqual({ received: 2, started: true, events: 2 });
		const [execution] = await waitForExecutions(tag, 1, { settleMs: 500 });
		const items = execution.items as Array<{ messageId: string; referral: unknown }>;
		expect(items.map((item) => item.messageId)).toEqual(['wamid.deep.1', 'wamid.deep.2']);
		expect(JSON.stringify(items[1].referral)).toContain(CUT_MARKER);
	});

	it('a body of 10,500 messages is answered 200 and gives 10,000 items plus one that keeps the other 500', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerAllCloud;
		await sim.clearCaptures(tag);
		const base = textMessage('wamid.flood.0', 'flood');
		const value = base.entry[0].changes[0].value;
		const messages = Array.from({ length: 10_500 }, (_, index) => ({ ...value.messages[0], id: `wamid.flood.${index}` }));
		const body = { ...base, entry: [{ ...base.entry[0], changes: [{ field: 'messages', value: { ...value, messages } }] }] };

		const answer = await deliverOk('cloud', body);
		expect(JSON.parse(answer.responseBody ?? '{}')).toEqual({ received: 10_001, started: true, events: 10_001 });
		const [execution] = await waitForExecutions(tag, 1, { timeoutMs: 120_000, settleMs: 500 });
		expect(execution.items).toHaveLength(10_001);
		expect(execution.items[9_999]).toMatchObject({ messageId: 'wamid.flood.9999' });
		expect(execution.items[10_000]).toMatchObject({ kind: 'unknown', path: '$.entry[0].changes[0].value.messages[10000]' });
		expect((execution.items[10_000].value as unknown[]).length).toBe(500);
	}, 180_000);

	it('a wrong or missing secret is answered 401 and starts nothing', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerDedupe;
		await sim.clearCaptures(tag);
		const executionsBefore = await settledExecutionCount(WORKFLOW_IDS.triggerDedupe);
		const url = urlOf(WEBHOOK_IDS.triggerDedupe);
		const secret = (await registeredHeaders(NUMBERS.dedupe.apiKey))[GENERATED_HEADER_NAME];
		const payload = textMessage('wamid.wrong-secret.1', 'should not run');

		const wrong = await postJson(url, payload, {
			[GENERATED_HEADER_NAME]: `${secret.slice(0, -1)}x`,
		});
		expect(wrong.status).toBe(401);
		const missing = await postJson(url, payload);
		expect(missing.status).toBe(401);
		// Another number's secret is no good either.
		const other = await registeredHeaders(NUMBERS.load.apiKey);
		expect((await postJson(url, payload, other)).status).toBe(401);

		await sleep(QUIET_MS);
		expect(await sim.captures(tag)).toEqual([]);
		expect(await executionCount(WORKFLOW_IDS.triggerDedupe)).toBe(executionsBefore);
	});

	// The seen-event memory lives in static data, saved when the trigger's run ends: this proves
	// it survives from one delivery to the next in a published workflow.
	it('a repeated delivery of the same payload runs once', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerDedupe;
		await sim.clearCaptures(tag);
		const payload = textMessage('wamid.dedupe.1', 'delivered twice');

		const first = await deliverOk('dedupe', payload);
		expect(startedNothing(first.responseBody)).toBe(false);
		expect(JSON.parse(first.responseBody ?? '')).toEqual({ received: 1, started: true, events: 1 });
		const [execution] = await waitForExecutions(tag, 1);
		expect(execution.items).toEqual(expectedItems(payload));
		// n8n saves the memory when the run ends, a moment after the capture; 360dialog's own
		// retries come seconds to hours later.
		await sleep(2000);

		const second = await deliverOk('dedupe', payload);
		if (queueMode()) {
			// A queue-mode run cannot save static data (see recordSeenInRun), so webhook() lets the
			// redelivery through and the run, checking n8n's processed-data table, ends with no items.
			expect(JSON.parse(second.responseBody ?? '')).toEqual({
				received: 1,
				started: true,
				events: 1,
			});
		} else {
			expect(startedNothing(second.responseBody)).toBe(true);
			expect(JSON.parse(second.responseBody ?? '')).toMatchObject({ received: 1, started: false, filteredOut: 0, duplicates: 1 });
		}
		await sleep(QUIET_MS);
		expect(await executionCaptures(tag)).toHaveLength(1);

		// A payload repeating one seen event next to a new one runs with the new one only.
		const both = textMessage('wamid.dedupe.2', 'new');
		const value = both.entry[0].changes[0].value;
		value.messages.unshift(payload.entry[0].changes[0].value.messages[0]);
		await deliverOk('dedupe', both);
		const captures = await waitForExecutions(tag, 2, { settleMs: 500 });
		expect(captures).toHaveLength(2);
		expect(captures[1].items).toEqual(expectedItems(both).slice(1));
	});

	it('a batch (2 entries, messages and statuses) is split into items of one execution', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerAllCloud;
		await sim.clearCaptures(tag);
		const batch = fixturePayload('cloud/batch-two-entries.json');
		const expected = expectedItems(batch) as Array<{ kind: string; wabaId: string }>;
		expect(new Set(expected.map((item) => item.kind))).toEqual(
			new Set(['message', 'status', 'error', 'template_status']),
		);
		expect(new Set(expected.map((item) => item.wabaId)).size).toBe(2);

		await deliverOk('cloud', batch);
		const captures = await waitForExecutions(tag, 1, { settleMs: 1000 });
		expect(captures).toHaveLength(1);
		expect(captures[0].items).toEqual(expected);
	});
});
