import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	PARTNER_API_BASE_URL,
	PARTNER_CREDENTIAL,
	PARTNER_CREDENTIAL_TEST_RULES,
} from '../nodes/shared/n8n/transport';

export class Dialog360PartnerApi implements ICredentialType {
	name = PARTNER_CREDENTIAL;

	displayName = '360dialog Partner API';

	icon: Icon = { light: 'file:../icons/dialog360.svg', dark: 'file:../icons/dialog360.dark.svg' };

	documentationUrl = 'https://docs.360dialog.com/partner/partner-api/intro';

	properties: INodeProperties[] = [
		{
			displayName: 'Partner ID',
			name: 'partnerId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. abcdEFPA',
			description:
				'Shown in the Partner Hub under Partner Integration, and in the browser URL after /partner/',
		},
		{
			displayName: 'Partner API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A Partner API key from the Partner Hub, sent as X-API-Key',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PARTNER_API_BASE_URL,
			description: 'Change only for a proxy or a local simulator',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The platform secret from Partner Hub → Integration. When set, the Partner trigger rejects every request whose x-360dialog-signature does not match.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl || "' +
				PARTNER_API_BASE_URL +
				'").trim().replace(/\\/+$/, "") }}',
			url: '=/partners/{{ $credentials.partnerId.trim() }}/webhook_url',
			method: 'GET',
		},
		rules: PARTNER_CREDENTIAL_TEST_RULES,
	};
}
