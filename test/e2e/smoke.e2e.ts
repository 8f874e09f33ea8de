/**
 * Proves the pipeline with built-in nodes only: the package is installed the way n8n installs
 * community packages and loads without errors, and a published workflow's webhook runs and reaches
 * the simulator's capture endpoint.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
	activateWorkflow,
	deactivateWorkflow,
	e2eState,
	n8nLogText,
	postJson,
	request,
	simulator,
	waitFor,
	webhookUrl,
} from './harness';
import { WORKFLOW_IDS } from './workflows';

describe('e2e smoke (n8n built-in nodes only)', () => {
	it('runs the real n8n with this package installed as a community package', async () => {
		const state = e2eState();
		const installed = path.join(state.packageDir, 'package.json');
		expect(existsSync(installed)).toBe(true);
		const pkg = JSON.parse(readFileSync(installed, 'utf8'));
		const repoPkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
		expect(pkg.name).toBe('n8n-nodes-360dialog');
		expect(pkg.version).toBe(repoPkg.version);
		// n8n's installer drops these before 'npm install' so that n8n's own n8n-workflow is used.
		expect(pkg.devDependencies).toBeUndefined();
		expect(pkg.peerDependencies).toBeUndefined();
		expect(existsSync(path.join(state.packageDir, 'node_modules', 'n8n-workflow'))).toBe(false);

		const health = await request('GET', `${state.n8nUrl}/healthz`);
		expect(health.status).toBe(200);
	});

	it('loaded the package without load errors and activated every workflow', () => {
		const log = n8nLogText();
		// Debug lines of n8n-core's loaders; one of them appears once the package directory was read.
		expect(log).toMatch(
			/(Loaded all credentials and nodes from|Lazy-loading nodes and credentials from) n8n-nodes-360dialog/,
		);
		expect(log).not.toMatch(/Failed to load package "n8n-nodes-360dialog"/);
		expect(log).not.toMatch(/Skipping package( directory)? "n8n-nodes-360dialog"/);
		expect(log).not.toMatch(/Issue on initial workflow activation/);
		expect(log).not.toMatch(/Unrecognized node type/);
		expect(log).toMatch(new RegExp(`Activated workflow .*${WORKFLOW_IDS.smoke}`));
	});

	it('runs the published webhook workflow and captures the posted body', async () => {
		const sim = simulator();
		await sim.clearCaptures('smoke');
		const body = { hello: 'world', n: 42, nested: { list: [1, 'two'] } };

		const response = await postJson(webhookUrl('e2e-smoke'), body);
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ message: 'Workflow was started' });

		const captures = await sim.waitForCaptures('smoke', { count: 1, timeoutMs: 20000 });
		expect(captures).toHaveLength(1);
		expect(captures[0].body).toEqual(body);
	});

	it('answers 404 for a webhook path nothing registered', async () => {
		const response = await postJson(webhookUrl('e2e-no-such-path'), {});
		expect(response.status).toBe(404);
	});

	it('unpublishes and republishes a workflow through the REST API', async () => {
		await deactivateWorkflow(WORKFLOW_IDS.smoke);
		expect((await postJson(webhookUrl('e2e-smoke'), { off: true })).status).toBe(404);

		await activateWorkflow(WORKFLOW_IDS.smoke);
		const sim = simulator();
		await sim.clearCaptures('smoke');
		await waitFor(
			async () => (await postJson(webhookUrl('e2e-smoke'), { on: true })).status === 200,
			{
				what: 'the webhook to be registered again',
			},
		);
		const captures = await sim.waitForCaptures('smoke', { count: 1 });
		expect(captures[0].body).toEqual({ on: true });
	});
});
