/**
 * Both trigger versions in the n8n under test (the e2e run's, or each version of npm run
 * test:compat): n8n loads the package without a warning, and a version 1 and a version 2 trigger
 * give normalize()'s items whatever content type the body came with. Version 2 exists because n8n
 * evaluates an expression for every request to a version 1 start node (see TRIGGER_VERSIONS).
 */
import { normalize } from '../../index';
import { GENERATED_HEADER_NAME } from '../../nodes/shared/core/security';
import { NUMBERS, textMessage, type NumberKey } from './fixtures';
import {
	e2eState,
	n8nLogEntries,
	n8nLogText,
	registeredHeaders,
	request,
	simulator,
	viaJson,
	waitForExecutions,
} from './harness';
import { CAPTURE_TAGS, triggerWebhookUrl, WEBHOOK_IDS } from './workflows';

describe(`n8n ${process.env.N8N_HOST_VERSION ?? 'under test'} with this package`, () => {
	it('starts with the package loaded and no warning or error about it', () => {
		const log = n8nLogText();
		expect(log).toMatch(
			/(Loaded all credentials and nodes from|Lazy-loading nodes and credentials from) n8n-nodes-360dialog/,
		);
		// Startup: loading the package and activating the workflows, up to "Editor is now accessible".
		const entries = n8nLogEntries();
		const ready = entries.findIndex((entry) => entry.text.includes('Editor is now accessible'));
		expect(ready).toBeGreaterThan(0);
		const aboutUs = entries
			.slice(0, ready)
			.filter(
				(entry) =>
					(entry.level === 'warn' || entry.level === 'error') &&
					/360dialog|dialog360/i.test(entry.text),
			);
		expect(aboutUs).toEqual([]);
	});

	// Dedup is off on both workflows, so the same payload runs each time.
	const triggers: Array<[string, NumberKey, string, string]> = [
		['version 2', 'cloud', WEBHOOK_IDS.triggerAllCloud, CAPTURE_TAGS.triggerAllCloud],
		['version 1', 'onPremise', WEBHOOK_IDS.triggerAllOnPremise, CAPTURE_TAGS.triggerAllOnPremise],
	];

	it.each(triggers)(
		'a %s trigger gives normalize() items for a JSON body sent as JSON, text or bytes',
		async (_version, numberKey, webhookId, tag) => {
			const sim = simulator();
			await sim.clearCaptures(tag);
			const payload = textMessage(`wamid.versions.${numberKey}`, 'any content type');
			const url = triggerWebhookUrl(e2eState().n8nUrl, webhookId);
			const secret = (await registeredHeaders(NUMBERS[numberKey].apiKey))[GENERATED_HEADER_NAME];
			const contentTypes = ['application/json', 'text/plain', 'application/octet-stream'];
			for (const contentType of contentTypes) {
				const response = await request('POST', url, {
					body: JSON.stringify(payload),
					headers: { 'content-type': contentType, [GENERATED_HEADER_NAME]: secret },
				});
				expect({ contentType, status: response.status }).toEqual({ contentType, status: 200 });
			}
			const executions = await waitForExecutions(tag, contentTypes.length, { settleMs: 500 });
			expect(executions.map((execution) => execution.items)).toEqual(
				contentTypes.map(() => viaJson(normalize(payload))),
			);
		},
	);
});
