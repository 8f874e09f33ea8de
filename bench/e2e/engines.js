'use strict';
/**
 * The n8n settings bench:e2e measures, one pass each (BENCH_ENGINES picks them, in order). Each is
 * the environment `n8n start` gets; a variable set to undefined is removed from the inherited one,
 * so `default` is n8n's own default whatever the shell exports.
 */
const ENGINES = {
	// n8n 2.40's default: expressions in isolated-vm, one isolate taken per webhook request.
	default: {
		label: 'default (vm)',
		env: { N8N_EXPRESSION_ENGINE: undefined, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: undefined },
	},
	// The same engine, taking the isolate only when an expression reaches it.
	lazy: {
		label: 'vm + LAZY_ACQUIRE',
		env: { N8N_EXPRESSION_ENGINE: undefined, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
	// n8n 1.x's engine: expressions in the main process, no isolate.
	legacy: {
		label: 'legacy',
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: undefined },
	},
};

function engineNames(value) {
	const names = value.split(',').map((name) => name.trim());
	const unknown = names.filter((name) => !ENGINES[name]);
	if (unknown.length > 0) {
		throw new Error(
			`BENCH_ENGINES: unknown ${unknown.join(', ')} (known: ${Object.keys(ENGINES).join(', ')})`,
		);
	}
	return names;
}

module.exports = { ENGINES, engineNames };
