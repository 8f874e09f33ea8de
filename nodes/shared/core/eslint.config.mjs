import { config } from '@n8n/node-cli/eslint';

// The pure core: catalog, schemas, normalizers, filter, dedup keys, signatures, request bodies.
// It runs without n8n (the package's library entry), so it imports nothing from n8n, not even
// types, and nothing from the layers built on it (../n8n, ../ui). `npm run lint` reads this file
// for the files below it (ESLint's config lookup from file).
const pureCore = {
	files: ['**/*.ts'],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					{
						regex: '^n8n-|^@n8n/',
						message: 'The core runs without n8n: keep n8n code in nodes/shared/n8n.',
					},
					{
						regex: '(^|/)\\.\\./(n8n|ui)(/|$)',
						message: 'The core must not depend on the layers built on it (n8n, ui).',
					},
				],
			},
		],
	},
};

export default [...config, pureCore];
