import { config } from '@n8n/node-cli/eslint';

// n8n's community-node rules apply to everything. Tests, benchmarks and dev scripts never ship:
// they run under plain Node, so they may read files, spawn processes and print.
const toolingOnly = {
	files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
	rules: {
		'@n8n/community-nodes/no-restricted-globals': 'off',
		'@n8n/community-nodes/no-restricted-imports': 'off',
		'@n8n/community-nodes/no-dangerous-functions': 'off',
		'no-console': 'off',
	},
};

export default [...config, toolingOnly];
