/**
 * What the e2e run registers on the simulator and imports into n8n. The runner (test/e2e/run.js)
 * and the tests both read this file, so ids, keys and secrets are written down once.
 */
import type { NumberOptions, PartnerOptions } from '../simulator/simulator';
import { cloudTextMessage, type Customer } from '../support/payloads';
import { CREDENTIAL_TYPES } from '../support/node-types';

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
	// One number per further messaging-trigger workflow: a number has one main webhook URL, so two
	// published workflows in Replace mode on the same number would take it from each other.
	messagesOnly: {
		apiKey: 'e2e-messages-only-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242930',
		displayPhoneNumber: '15550783890',
		wabaId: '102290129340398',
	},
	dedupe: {
		apiKey: 'e2e-dedupe-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242931',
		displayPhoneNumber: '15550783891',
		wabaId: '102290129340398',
	},
	lifecycle: {
		apiKey: 'e2e-lifecycle-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242932',
		displayPhoneNumber: '15550783892',
		wabaId: '102290129340398',
		webhook: {
			url: 'https://previous-webhook.example.invalid/lifecycle',
			headers: { 'x-previous-auth': 'previous-secret' },
		},
	},
	load: {
		apiKey: 'e2e-load-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242933',
		displayPhoneNumber: '15550783893',
		wabaId: '102290129340398',
	},
	mediaCloud: {
		apiKey: 'e2e-media-cloud-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242934',
		displayPhoneNumber: '15550783894',
		wabaId: '102290129340398',
	},
	mediaOnPremise: {
		apiKey: 'e2e-media-onprem-api-key',
		kind: 'onpremise',
		phoneNumberId: '106540352242935',
		displayPhoneNumber: '15550783895',
		wabaId: '102290129340399',
	},
	groupsClicks: {
		apiKey: 'e2e-groups-clicks-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242913',
		displayPhoneNumber: '15550783813',
		wabaId: '102290129340398',
	},
	// The 360dialog action node: a trigger on each number replies through the node.
	replyCloud: {
		apiKey: 'e2e-reply-cloud-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242936',
		displayPhoneNumber: '15550783896',
		wabaId: '102290129340398',
	},
	replyOnPremise: {
		apiKey: 'e2e-reply-onprem-api-key',
		kind: 'onpremise',
		phoneNumberId: '106540352242937',
		displayPhoneNumber: '15550783897',
		wabaId: '102290129340399',
	},
	readDownload: {
		apiKey: 'e2e-read-download-api-key',
		kind: 'cloud',
		phoneNumberId: '106540352242938',
		displayPhoneNumber: '15550783898',
		wabaId: '102290129340398',
	},
} satisfies Record<string, NumberOptions & { apiKey: string }>;

export type NumberKey = keyof typeof NUMBERS;

export const PARTNER = {
	partnerId: 'e2ePartnerPA',
	apiKey: 'e2e-partner-api-key',
	platformSecret: 'e2e-platform-secret',
	brandName: 'e2e Partner',
} satisfies PartnerOptions;

/** A second partner, for the Alerts Only workflow (a partner has one webhook URL too). */
export const PARTNER_ALERTS = {
	partnerId: 'e2ePartnerAlerts',
	apiKey: 'e2e-partner-alerts-api-key',
	platformSecret: 'e2e-platform-secret-alerts',
	brandName: 'e2e Partner (alerts)',
} satisfies PartnerOptions;

/** Fixed ids (16 characters, like n8n's own) so workflows can reference the credentials. */
export const CREDENTIALS = {
	cloud: { id: 'e2eCred360Cloud1', name: '360dialog Cloud (e2e)', type: CREDENTIAL_TYPES.messaging },
	onPremise: { id: 'e2eCred360OnPrem', name: '360dialog On-Premise (e2e)', type: CREDENTIAL_TYPES.messaging },
	partner: { id: 'e2eCred360Partnr', name: '360dialog Partner (e2e)', type: CREDENTIAL_TYPES.partner },
	messagesOnly: {
		id: 'e2eCred360MsgOnl',
		name: '360dialog messages only (e2e)',
		type: CREDENTIAL_TYPES.messaging,
	},
	dedupe: { id: 'e2eCred360Dedupe', name: '360dialog dedupe (e2e)', type: CREDENTIAL_TYPES.messaging },
	lifecycle: { id: 'e2eCred360Lifecy', name: '360dialog lifecycle (e2e)', type: CREDENTIAL_TYPES.messaging },
	load: { id: 'e2eCred360Load01', name: '360dialog load (e2e)', type: CREDENTIAL_TYPES.messaging },
	mediaCloud: { id: 'e2eCred360MedCld', name: '360dialog media Cloud (e2e)', type: CREDENTIAL_TYPES.messaging },
	mediaOnPremise: {
		id: 'e2eCred360MedOnP',
		name: '360dialog media On-Premise (e2e)',
		type: CREDENTIAL_TYPES.messaging,
	},
	groupsClicks: {
		id: 'e2eCred360GrpClk',
		name: '360dialog group updates and clicks (e2e)',
		type: CREDENTIAL_TYPES.messaging,
	},
	replyCloud: { id: 'e2eCred360RplCld', name: '360dialog reply Cloud (e2e)', type: CREDENTIAL_TYPES.messaging },
	replyOnPremise: {
		id: 'e2eCred360RplOnP',
		name: '360dialog reply On-Premise (e2e)',
		type: CREDENTIAL_TYPES.messaging,
	},
	readDownload: {
		id: 'e2eCred360RdDown',
		name: '360dialog read and download (e2e)',
		type: CREDENTIAL_TYPES.messaging,
	},
	partnerAlerts: {
		id: 'e2eCred360PartAl',
		name: '360dialog Partner alerts (e2e)',
		type: CREDENTIAL_TYPES.partner,
	},
} as const;

export type CredentialKey = keyof typeof CREDENTIALS;

/** The simulator's registrations for a run (a fresh simulator starts with exactly these). */
export function simulatorSeed(): { numbers: NumberOptions[]; partners: PartnerOptions[] } {
	return { numbers: Object.values(NUMBERS), partners: [PARTNER, PARTNER_ALERTS] };
}

/** The file given to `n8n import:credentials`; n8n encrypts `data` on import. */
export function credentialsFor(simUrl: string) {
	const messaging = (Object.keys(NUMBERS) as NumberKey[]).map((key) => ({
		...CREDENTIALS[key],
		data: { apiKey: NUMBERS[key].apiKey, environment: 'custom', baseUrl: simUrl },
	}));
	const partner = (
		[
			['partner', PARTNER],
			['partnerAlerts', PARTNER_ALERTS],
		] as const
	).map(([key, p]) => ({
		...CREDENTIALS[key],
		data: {
			partnerId: p.partnerId,
			apiKey: p.apiKey,
			baseUrl: simUrl,
			signingSecret: p.platformSecret,
		},
	}));
	return [...messaging, ...partner];
}

/** The sender of the e2e suites' messages. */
export const E2E_SENDER: Customer = { waId: '16505551234', name: 'E2E Sender' };

/** A small Cloud API text message with a chosen id (distinct payloads for dedup-free runs). */
export function textMessage(id: string, text: string, phoneNumberId = NUMBERS.cloud.phoneNumberId) {
	return cloudTextMessage(id, text, {
		number: { ...NUMBERS.cloud, phoneNumberId },
		customer: E2E_SENDER,
		timestamp: String(1750000000 + (id.length % 1000)),
	});
}
