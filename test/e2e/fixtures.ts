/**
 * What the e2e run registers on the simulator and imports into n8n. The runner (test/e2e/run.js)
 * and the tests both read this file, so ids, keys and secrets are written down once.
 */
/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- made-up keys for the local simulator */
import type { NumberOptions, PartnerOptions } from '../simulator/simulator';

/** n8n encrypts imported credentials with it; every n8n command of one run must use the same key. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-360dialog-e2e-fixed-key';

export const NUMBERS = {
	cloud: {
		apiKey: 'e2e-cloud-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242922',
		displayPhoneNumber: '15550783881',
		wabaId: '102290129340398',
	},
	onPremise: {
		apiKey: 'e2e-onprem-api-key',
		kind: 'onpremise',
		phoneNumberId: '106540352242923',
		displayPhoneNumber: '15550783882',
		wabaId: '102290129340399',
	},
} satisfies Record<string, NumberOptions & { apiKey: string }>;

export const PARTNER = {
	partnerId: 'e2ePartnerPA',
	apiKey: 'e2e-partner-api-key',
	platformSecret: 'e2e-platform-secret',
	brandName: 'e2e Partner',
} satisfies PartnerOptions;

/** Fixed ids (16 characters, like n8n's own) so workflows can reference the credentials. */
export const CREDENTIALS = {
	cloud: { id: 'e2eCred360Cloud1', name: '360dialog Cloud (e2e)', type: 'dialog360Api' },
	onPremise: { id: 'e2eCred360OnPrem', name: '360dialog On-Premise (e2e)', type: 'dialog360Api' },
	partner: { id: 'e2eCred360Partnr', name: '360dialog Partner (e2e)', type: 'dialog360PartnerApi' },
} as const;

export type CredentialKey = keyof typeof CREDENTIALS;

/** The simulator's registrations for a run (a fresh simulator starts with exactly these). */
export function simulatorSeed(): { numbers: NumberOptions[]; partners: PartnerOptions[] } {
	return { numbers: [NUMBERS.cloud, NUMBERS.onPremise], partners: [PARTNER] };
}

/** The file given to `n8n import:credentials`; n8n encrypts `data` on import. */
export function credentialsFor(simUrl: string) {
	return [
		{
			...CREDENTIALS.cloud,
			data: { apiKey: NUMBERS.cloud.apiKey, environment: 'custom', baseUrl: simUrl },
		},
		{
			...CREDENTIALS.onPremise,
			data: { apiKey: NUMBERS.onPremise.apiKey, environment: 'custom', baseUrl: simUrl },
		},
		{
			...CREDENTIALS.partner,
			data: {
				partnerId: PARTNER.partnerId,
				apiKey: PARTNER.apiKey,
				baseUrl: simUrl,
				signingSecret: PARTNER.platformSecret,
			},
		},
	];
}
