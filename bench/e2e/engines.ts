/**
 * The n8n settings bench:e2e measures, one pass each (BENCH_ENGINES picks them, in order). Each is
 * the environment `n8n start` gets; a variable set to undefined is removed from the inherited one,
 * so `default` is n8n's own default whatever the shell exports.
 */
import type { N8nEnv } from '../../scripts/n8n-session';

export type EngineName = 'default' | 'lazy' | 'legacy';

export interface Engine {
	label: string;
	env: N8nEnv;
}

export const ENGINES: Record<EngineName, Engine> = {
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

const isEngine = (name: string): name is EngineName =>
	Object.prototype.hasOwnProperty.call(ENGINES, name);

/** BENCH_ENGINES, a comma-separated list, as engine names; throws on an unknown one. */
export function engineNames(value: string): EngineName[] {
	const names = value.split(',').map((name) => name.trim());
	const unknown = names.filter((name) => !isEngine(name));
	if (unknown.length > 0) {
		throw new Error(
			`BENCH_ENGINES: unknown ${unknown.join(', ')} (known: ${Object.keys(ENGINES).join(', ')})`,
		);
	}
	return names.filter(isEngine);
}
