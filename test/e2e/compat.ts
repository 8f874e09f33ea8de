/**
 * `npm run test:compat`: the package in every n8n version of the "compat" list of
 * scripts/n8n-host.json (the one place versions are named), one after another. For each version
 * it runs the e2e runner (test/e2e/run.ts) with N8N_HOST_VERSION set, so the host install, the
 * packed package, the simulator and the workflows are the e2e suite's own, and runs these tests:
 *
 *  - versions.e2e.ts: n8n loads the package without a warning about it; a version 1 and a version 2
 *    360dialog Trigger turn a delivery into normalize()'s items (JSON, text and byte bodies);
 *  - normalize-node.e2e.ts: the simulator delivers payloads to the triggers and the same payloads go
 *    through the Webhook node into 360dialog Normalize; both give normalize()'s items.
 *
 * Arguments: n8n versions to run (default: the whole compat list). Env as for test/e2e/run.js
 * (E2E_N8N_PORT, E2E_BROKER_PORT, ...). Ends with `N passed, N failed`; exit code 1 on any failure.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { buildPackage, REGISTER_TS, REPO } from '../../scripts/n8n-session';
import { readHostConfig } from '../../scripts/n8n-host-helper';

const TESTS = ['test/e2e/versions.e2e.ts', 'test/e2e/normalize-node.e2e.ts'];
// The workflows those tests use (keys of WORKFLOW_IDS in test/e2e/workflows.ts).
const WORKFLOWS = ['triggerAllCloud', 'triggerAllOnPremise', 'partnerAll', 'normalize'];
const log = (message: string) => console.log(`[compat] ${message}`);

interface VersionResult {
	version: string;
	node: string;
	hostSeconds: number | null;
	totalSeconds: number;
	passed: number;
	failed: number;
	ok: boolean;
}

/** Runs test/e2e/run.ts for one n8n version, its output passed through; returns what it reported. */
function runVersion(version: string): Promise<VersionResult> {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(process.execPath, ['-r', REGISTER_TS, path.join(__dirname, 'run.ts'), ...TESTS], {
			cwd: REPO,
			env: {
				...process.env,
				N8N_HOST_VERSION: version,
				E2E_SKIP_BUILD: '1',
				E2E_WORKFLOWS: WORKFLOWS.join(','),
			},
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			process.stdout.write(chunk);
			output += chunk.toString();
		});
		child.once('exit', (code) => {
			const counts = /^e2e: (\d+) passed, (\d+) failed$/m.exec(output);
			const ready = /\[e2e\] n8n \S+ on Node (\S+) ready \(([\d.]+) s\)/.exec(output);
			resolve({
				version,
				node: ready ? ready[1] : '?',
				hostSeconds: ready ? Number(ready[2]) : null,
				totalSeconds: (Date.now() - started) / 1000,
				passed: counts ? Number(counts[1]) : 0,
				// A run that did not get as far as its tests counts as one failure.
				failed: counts ? Number(counts[2]) : 1,
				ok: code === 0,
			});
		});
	});
}

async function main(): Promise<void> {
	const known = readHostConfig().compat.map((entry) => entry.n8n);
	const versions = process.argv.length > 2 ? process.argv.slice(2) : known;
	const unknown = versions.filter((version) => !known.includes(version));
	if (unknown.length > 0) {
		console.error(
			`[compat] not in the compat list of scripts/n8n-host.json: ${unknown.join(', ')}`,
		);
		process.exit(2);
	}
	log('npm run build');
	buildPackage();

	const results: VersionResult[] = [];
	for (const version of versions) {
		log(`n8n ${version}`);
		results.push(await runVersion(version));
	}

	log('version    Node      host ready  whole run  passed  failed');
	for (const r of results) {
		const host = r.hostSeconds === null ? '?' : `${r.hostSeconds.toFixed(1)} s`;
		log(
			`${r.version.padEnd(10)} ${r.node.padEnd(9)} ${host.padStart(10)}  ${`${r.totalSeconds.toFixed(1)} s`.padStart(9)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}${r.ok ? '' : '  FAILED'}`,
		);
	}
	const passed = results.reduce((sum, r) => sum + r.passed, 0);
	const failed = results.reduce((sum, r) => sum + r.failed, 0);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 && results.every((r) => r.ok) ? 0 : 1;
}

void main();
