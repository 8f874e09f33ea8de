import { config } from '@n8n/node-cli/eslint';

// The tests' own config, beside the package's default one (which n8n's strict mode requires
// unchanged). ESLint uses the nearest config of each file when run with the
// unstable_config_lookup_from_file flag, which `npm run lint` sets. Tests, benchmarks and dev scripts
// never ship: they run under plain Node, so they may read files, spawn processes and print; every
// other rule still applies.
const toolingOnly = {
	files: ['**/*.ts'],
	rules: {
		'@n8n/community-nodes/no-restricted-globals': 'off',
		'@n8n/community-nodes/no-restricted-imports': 'off',
		'@n8n/community-nodes/no-dangerous-functions': 'off',
		// Errors of a test server or a runner are not a node's errors.
		'@n8n/community-nodes/require-node-api-error': 'off',
		'no-console': 'off',
	},
};

// test/unit holds the tests that run without n8n's engine; those that need it live in test/engine.
const unitWithoutEngine = {
	files: ['unit/**/*.ts'],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				paths: [{ name: 'n8n-core', message: 'A test that runs the engine belongs in test/engine.' }],
				patterns: [
					{
						group: ['**/engine/*', '**/support/trigger-fixtures'],
						message: 'A test that uses the engine harness belongs in test/engine.',
					},
				],
			},
		],
	},
};

// The e2e fixtures and harness hold made-up keys and passwords for the local simulator and a
// throwaway n8n; the simulator's own test digs into arbitrary JSON answers.
const localSecrets = {
	files: ['e2e/fixtures.ts', 'e2e/harness.ts'],
	rules: { '@n8n/community-nodes/no-hardcoded-secrets': 'off' },
};
const arbitraryJson = {
	files: ['simulator/simulator.test.ts'],
	rules: { '@typescript-eslint/no-explicit-any': 'off' },
};

export default [...config, toolingOnly, unitWithoutEngine, localSecrets, arbitraryJson];
