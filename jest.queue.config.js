/**
 * The e2e suites plus the queue-mode suites, against n8n in queue mode. Run them with
 * `npm run test:queue` (test/queue/run.js). The e2e load test is replaced by the queue suite's own,
 * larger one across both webhook processes.
 * @type {import('jest').Config}
 */
const e2e = require('./jest.e2e.config.js');

module.exports = {
	...e2e,
	roots: ['<rootDir>/test/e2e', '<rootDir>/test/queue'],
	testMatch: ['**/*.e2e.ts', '**/*.queue.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/load\\.e2e\\.ts$'],
	testTimeout: 120000,
};
