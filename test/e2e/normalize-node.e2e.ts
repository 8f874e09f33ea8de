/**
 * The 360dialog Normalize node after n8n's own Webhook node gives the same items as the triggers
 * for the same payloads, and both equal normalize() of the payload.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { normalize } from '../../index';
import { corpusAvailable, corpusFiles, corpusText } from '../support/corpus';
import {
	postJson,
	simulator,
	sleep,
	viaJson,
	waitForExecutions,
	webhookUrl,
	executionCaptures,
} from './harness';
import { NUMBERS, PARTNER } from './fixtures';
import { CAPTURE_TAGS, NORMALIZE_WEBHOOK_PATH } from './workflows';

interface Case {
	name: string;
	format: 'cloud' | 'onprem' | 'partner';
	text: string;
}

function fixtureCase(relative: string, format: Case['format']): Case {
	const file = path.join(__dirname, '../fixtures', relative);
	const { payload } = JSON.parse(readFileSync(file, 'utf8')) as { payload: unknown };
	return { name: `fixtures/${relative}`, format, text: JSON.stringify(payload) };
}

/** Every 4th corpus file of each format (a spread of message types, statuses and changes), plus batches. */
function cases(): Case[] {
	const list: Case[] = [];
	if (corpusAvailable()) {
		for (const format of ['cloud', 'onprem', 'partner'] as const) {
			const files = corpusFiles().filter((file) => file.format === format);
			files.forEach((file, index) => {
				if (format === 'partner' || index % 4 === 0)
					list.push({ name: file.path, format, text: corpusText(file) });
			});
		}
	}
	list.push(fixtureCase('cloud/batch-two-entries.json', 'cloud'));
	list.push(fixtureCase('onprem/batch.json', 'onprem'));
	list.push(fixtureCase('partner/batch-array.json', 'partner'));
	return list;
}

const TRIGGER_TAG: Record<Case['format'], string> = {
	cloud: CAPTURE_TAGS.triggerAllCloud,
	onprem: CAPTURE_TAGS.triggerAllOnPremise,
	partner: CAPTURE_TAGS.partnerAll,
};

async function viaTrigger(testCase: Case): Promise<unknown[]> {
	const sim = simulator();
	const tag = TRIGGER_TAG[testCase.format];
	const before = (await sim.captures(tag)).length;
	const outcome =
		testCase.format === 'partner'
			? await sim.deliverPartner(PARTNER.partnerId, testCase.text, { retries: 0 })
			: await sim.deliverMessaging(
					testCase.format === 'cloud' ? NUMBERS.cloud.apiKey : NUMBERS.onPremise.apiKey,
					testCase.text,
					{ retries: 0 },
				);
	expect(outcome.ok).toBe(true);
	const captures = await waitForExecutions(tag, before + 1);
	return captures[before].items;
}

async function viaNormalizeNode(testCase: Case): Promise<unknown[]> {
	const tag = CAPTURE_TAGS.normalize;
	const before = (await simulator().captures(tag)).length;
	const response = await postJson(webhookUrl(NORMALIZE_WEBHOOK_PATH), testCase.text);
	expect(response.status).toBe(200);
	const captures = await waitForExecutions(tag, before + 1);
	return captures[before].items;
}

describe('360dialog Normalize after the Webhook node', () => {
	it('gives the same items as the triggers, equal to normalize(), for the same payloads', async () => {
		const sim = simulator();
		for (const tag of [CAPTURE_TAGS.normalize, ...Object.values(TRIGGER_TAG)])
			await sim.clearCaptures(tag);
		const list = cases();
		expect(list.length).toBeGreaterThan(10);
		for (const testCase of list) {
			const expected = viaJson(normalize(JSON.parse(testCase.text)));
			const fromNode = await viaNormalizeNode(testCase);
			const fromTrigger = await viaTrigger(testCase);
			// No field differs legitimately here: neither side adds headers, raw or media.
			expect({ name: testCase.name, items: fromNode }).toEqual({
				name: testCase.name,
				items: fromTrigger,
			});
			expect({ name: testCase.name, items: fromNode }).toEqual({
				name: testCase.name,
				items: expected,
			});
		}
		// One execution per request on each side.
		await sleep(1000);
		expect(await executionCaptures(CAPTURE_TAGS.normalize)).toHaveLength(list.length);
	}, 300000);
});
