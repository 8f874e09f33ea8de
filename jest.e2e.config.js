/**
 * End-to-end tests against a real n8n. Run them with `npm run test:e2e` (test/e2e/run.js), which
 * starts n8n and the simulator first and sets E2E_STATE_FILE.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 60000,
};
