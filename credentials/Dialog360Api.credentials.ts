import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	MESSAGING_BASE_URL_EXPRESSION,
	MESSAGING_CREDENTIAL,
	MESSAGING_CREDENTIAL_TEST_RULES,
	MESSAGING_HOSTS,
} from '../nodes/shared/n8n/transport';

export class Dialog360Api implements ICredentialType {
	name = MESSAGING_CREDENTIAL;

	displayName = '360dialog API';

	icon: Icon = { light: 'file:../icons/dialog360.svg', dark: 'file:../icons/dialog360.dark.svg' };

	documentationUrl = 'https://docs.360dialog.com/docs/hub/api-key';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The D360-API-KEY of the phone number (channel), from the 360dialog Hub or the Partner API',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'cloud',
			options: [
				{ name: 'Cloud API', value: 'cloud', description: MESSAGING_HOSTS.cloud },
				{ name: 'Custom Base URL', value: 'custom', description: 'A proxy or a local simulator' },
				{
					name: 'On-Premise API',
					value: 'onPremise',
					description: `${MESSAGING_HOSTS.onPremise} (legacy)`,
				},
				{ name: 'Sandbox', value: 'sandbox', description: MESSAGING_HOSTS.sandbox },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://localhost:5800',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'D360-API-KEY': '={{$credentials.apiKey}}' } },
	};

	// Reading the webhook configuration needs a valid key: a wrong one is answered with 401. The
	// rules replace n8n's one-word status text ("Unauthorized") with what to check.
	test: ICredentialTestRequest = {
		request: { baseURL: MESSAGING_BASE_URL_EXPRESSION, url: '/v1/configs/webhook', method: 'GET' },
		rules: MESSAGING_CREDENTIAL_TEST_RULES,
	};
}
