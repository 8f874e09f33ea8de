import { config } from '@n8n/node-cli/eslint';

// The tests' own config, beside the package's default one (which n8n's strict mode requires
// unchanged). ESLint uses the nearest config of each file when run with the
// unstable_config_lookup_from_file flag, which `npm run lint` sets. Tests never ship: they run under
// plain Node, so they may read files, spawn processes and print; every other rule still applies.
const toolingOnly = {
	files: ['**/*.ts'],
	rules: {
		'@n8n/community-nodes/no-restricted-globals': 'off',
		'@n8n/community-nodes/no-restricted-imports': 'off',
		'@n8n/community-nodes/no-dangerous-functions': 'off',
		'no-console': 'off',
	},
};

export default [...config, toolingOnly];
