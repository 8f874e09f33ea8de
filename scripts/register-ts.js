'use strict';
/**
 * Lets plain Node run this repo's TypeScript tooling (runners, benchmarks, the simulator, dev
 * scripts): `node -r ./scripts/register-ts.js file.ts`. Every .ts file required from then on is
 * transpiled to CommonJS with the repo's own `typescript`, without type checking (`npm run
 * typecheck` does that). The one JavaScript file of the tooling, so that it needs no build step and
 * no other dependency.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

if (!require.extensions['.ts'] || !require.extensions['.ts'].repoHook) {
	const ts = require(require.resolve('typescript', { paths: [REPO] }));
	const compileTs = function compileTs(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2021,
				esModuleInterop: true,
				resolveJsonModule: true,
				inlineSourceMap: true,
			},
		});
		module._compile(outputText, filename);
	};
	compileTs.repoHook = true;
	require.extensions['.ts'] = compileTs;
	// Node tries extensions in the order they were registered; put .ts before .json, so that
	// `Dialog360Trigger.node` is the class beside its codex file `Dialog360Trigger.node.json`, as
	// TypeScript and jest resolve it.
	const json = require.extensions['.json'];
	delete require.extensions['.json'];
	require.extensions['.json'] = json;
}

/** The path of this file, for `node -r <it>` in child processes. */
module.exports = { REGISTER_TS: __filename };
