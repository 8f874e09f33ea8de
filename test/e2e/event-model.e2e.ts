/**
 * The 2026 event model inside a real n8n: a published 360dialog Trigger whose Events filter is
 * Group Updates plus Marketing Click Events receives, through the simulator, one body holding a
 * group suspension, marketing link clicks, a customer message and a status. One execution starts,
 * with the group and click events as named items; a body with neither starts nothing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { messagingFilter, normalize } from '../../index';
import {
	e2eState,
	executionCount,
	settledExecutionCount,
	simulator,
	sleep,
	startedNothing,
	viaJson,
	waitForExecutions,
} from './harness';
import { NUMBERS } from './fixtures';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS, WORKFLOW_IDS } from './workflows';

const EVENTS = ['group:groups', 'group:clicks'];
const QUIET_MS = 2500;

type Body = { entry: Array<{ id: string; changes: Array<{ field: string; value: Record<string, unknown> }> }> };

function fixtureBody(name: string): Body {
	const file = path.join(__dirname, '../fixtures/cloud', `${name}.json`);
	return (JSON.parse(readFileSync(file, 'utf8')) as { payload: Body }).payload;
}

/** One POST with four changes: a group suspension, two link clicks, a text message, a status. */
function mixedBody(): Body {
	const changes = ['group-status-suspended', 'user-actions-marketing-link-click', 'message-text', 'status-delivered'].flatMap(
		(name) => fixtureBody(name).entry[0].changes,
	);
	const metadata = { display_phone_number: NUMBERS.groupsClicks.displayPhoneNumber, phone_number_id: NUMBERS.groupsClicks.phoneNumberId };
	for (const change of changes) change.value.metadata = metadata;
	return { ...fixtureBody('message-text'), entry: [{ id: NUMBERS.groupsClicks.wabaId, changes }] } as Body;
}

async function deliver(payload: unknown) {
	const outcome = await simulator().deliverMessaging(NUMBERS.groupsClicks.apiKey, payload, { retries: 0 });
	expect(outcome.main.attempts).toHaveLength(1);
	expect(outcome.main.attempts[0].status).toBe(200);
	return outcome.main.attempts[0];
}

describe('360dialog Trigger in n8n: group updates and marketing clicks', () => {
	it('publishing registered the trigger for its number', async () => {
		const number = await simulator().number(NUMBERS.groupsClicks.apiKey);
		expect(number.webhook.url).toBe(triggerWebhookUrl(e2eState().n8nUrl, WEBHOOK_IDS.triggerGroupsClicks));
	});

	it('a group event and click events arrive as named items of one execution; the message and status are filtered out', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerGroupsClicks;
		await sim.clearCaptures(tag);
		const before = await settledExecutionCount(WORKFLOW_IDS.triggerGroupsClicks);
		const payload = mixedBody();

		const attempt = await deliver(payload);
		// Five events received (suspension, two clicks, message, status), three kept by the filter.
		expect(JSON.parse(attempt.responseBody ?? '{}')).toEqual({ received: 5, started: true, events: 3 });
		const captures = await waitForExecutions(tag, 1, { settleMs: 1000 });
		expect(captures).toHaveLength(1);
		const items = captures[0].items as Array<Record<string, unknown>>;
		expect(items.map((item) => [item.kind, item.event])).toEqual([
			['group', 'group.status'],
			['user_action', 'user_action.marketing_messages_link_click'],
			['user_action', 'user_action.marketing_messages_link_click'],
		]);
		expect(items[0]).toMatchObject({ groupEvent: 'group_suspend', severity: 'critical', phoneNumberId: NUMBERS.groupsClicks.phoneNumberId });
		expect(items.slice(1).map((item) => item.clickId)).toEqual(['ARAkLk3xQ1', 'ARAkLk3xQ2']);
		// Exactly what the library gives for the same body and filter.
		expect(items).toEqual(viaJson(normalize(payload).filter(messagingFilter({ events: EVENTS }))));
		expect(await executionCount(WORKFLOW_IDS.triggerGroupsClicks)).toBe(before + 1);
	});

	it('a body with only a message and a status starts nothing', async () => {
		const sim = simulator();
		const tag = CAPTURE_TAGS.triggerGroupsClicks;
		await sim.clearCaptures(tag);
		const before = await settledExecutionCount(WORKFLOW_IDS.triggerGroupsClicks);
		const payload = mixedBody();
		payload.entry[0].changes = payload.entry[0].changes.filter((change) => change.field === 'messages' && !('user_actions' in change.value));
		expect(payload.entry[0].changes).toHaveLength(2);

		const attempt = await deliver(payload);
		expect(startedNothing(attempt.responseBody)).toBe(true);
		await sleep(QUIET_MS);
		expect(await sim.captures(tag)).toEqual([]);
		expect(await executionCount(WORKFLOW_IDS.triggerGroupsClicks)).toBe(before);
	});
});
