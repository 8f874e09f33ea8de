/**
 * `npm run scan`: n8n's community-package scanner over this package, on both legs it checks before
 * verification. Run `npm run build` first.
 *
 *   source   package.json and nodes/ and credentials/ as they are in the repository
 *   tarball  the `**\/*.js` files and package.json of what `npm pack` would publish
 *
 * Both use the scanner's own ESLint configuration and `analyzePackage`, with inline
 * eslint-disable comments ignored as the scanner ignores them. Exits 1 on any violation.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
	console.error('scan: no build in dist/. Run `npm run build` first.');
	process.exit(1);
}

/** Packs the package as npm would publish it and unpacks it into a temporary folder. */
function unpackedTarball() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-360dialog-scan-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	);
	const unpacked = path.join(folder, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(folder, packed.filename), '-C', unpacked, '--strip-components=1']);
	return { folder, unpacked, files: packed.files.length };
}

const legs = [];
legs.push({ name: 'source', result: await analyzePackage(ROOT, SOURCE_FILE_PATTERNS), what: SOURCE_FILE_PATTERNS.join(', ') });
const tarball = unpackedTarball();
try {
	legs.push({
		name: 'tarball',
		result: await analyzePackage(tarball.unpacked, ['**/*.js', 'package.json']),
		what: `**/*.js and package.json of the ${tarball.files} packed files`,
	});
} finally {
	fs.rmSync(tarball.folder, { recursive: true, force: true });
}

let failed = 0;
for (const { name, result, what } of legs) {
	console.log(`scan ${name.padEnd(7)} ${result.passed ? 'passed' : 'FAILED'}  (${what})`);
	if (!result.passed) {
		failed++;
		console.log(result.message);
		if (result.details) console.log(result.details);
	}
}
console.log(`scan: ${legs.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
