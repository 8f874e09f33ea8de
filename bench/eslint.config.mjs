// Benchmarks never ship either: the same relaxed rules as the tests.
import tests from '../test/eslint.config.mjs';

// bench:e2e logs into its own throwaway n8n as a made-up owner.
const localSecrets = {
	files: ['e2e/n8n-rest.ts'],
	rules: { '@n8n/community-nodes/no-hardcoded-secrets': 'off' },
};

export default [...tests, localSecrets];
