import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import type { Severity } from '../shared/core/catalog';
import {
	partnerSubtitle,
	TRIGGER_VERSIONS,
	TRIGGER_WEBHOOKS,
} from '../shared/ui/descriptions';
import { splitList } from '../shared/core/parameters';
import { partnerFilter, type PartnerPreset } from '../shared/core/filter';
import {
	partnerRegistration,
	warnWhenUnsigned,
	type PartnerAuthentication,
} from '../shared/n8n/registration';
import {
	checkHeaderSecret,
	checkSignature,
	SIGNATURE_HEADER,
	type AuthResult,
} from '../shared/core/security';
import { PARTNER_CREDENTIAL } from '../shared/n8n/transport';
import { answerChallenge, receiveEvents } from '../shared/n8n/webhook';
import { recordSeenInRun } from '../shared/n8n/runDedup';
import { partnerTriggerProperties } from './description';

export class Dialog360PartnerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Partner Trigger',
		name: 'dialog360PartnerTrigger',
		icon: { light: 'file:../../icons/dialog360.svg', dark: 'file:../../icons/dialog360.dark.svg' },
		group: ['trigger'],
		...TRIGGER_VERSIONS,
		subtitle: partnerSubtitle(),
		description:
			'Starts the workflow on 360dialog Partner Hub events: clients, channels, quality, templates',
		defaults: { name: '360dialog Partner Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: PARTNER_CREDENTIAL, required: true }],
		// An array here, so that n8n's lint sees a webhook trigger and checks its webhookMethods.
		webhooks: [...TRIGGER_WEBHOOKS],
		properties: partnerTriggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await partnerRegistration.checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await partnerRegistration.create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await partnerRegistration.delete.call(this);
			},
		},
	};

	// n8n runs this as the first node of each run the webhook starts; see recordSeenInRun.
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await warnWhenUnsigned(this);
		return recordSeenInRun.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') return answerChallenge.call(this);

		const credentials = await this.getCredentials(PARTNER_CREDENTIAL);
		const signingSecret = String(credentials.signingSecret ?? '');
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const authentication = this.getNodeParameter('authentication', 'none') as PartnerAuthentication;
		const customHeader = authentication === 'customHeader';
		const headerName = customHeader
			? (this.getNodeParameter('headerName', '') as string).trim()
			: '';
		const headerValue = customHeader ? (this.getNodeParameter('headerValue', '') as string) : '';
		const preset = this.getNodeParameter('preset', 'all') as PartnerPreset;

		return receiveEvents.call(this, {
			authenticate: (headers, rawBody): AuthResult => {
				if (customHeader) {
					const header = checkHeaderSecret(headers, headerName, headerValue);
					if (!header.ok) return header;
				}
				if (signingSecret !== '') return checkSignature(headers, rawBody, signingSecret);
				// Fail closed when the user asked for signatures and the secret went missing.
				return authentication === 'signatureRequired'
					? {
							ok: false,
							message: `Header Authentication is Signature Required, but the credential has no Webhook Signing Secret to check "${SIGNATURE_HEADER}" with.`,
						}
					: { ok: true };
			},
			keep: partnerFilter({
				preset,
				events: preset === 'custom' ? (this.getNodeParameter('events', []) as string[]) : [],
				otherEvents:
					preset === 'all' ? [] : splitList(this.getNodeParameter('otherEvents', '') as string),
				minSeverity: this.getNodeParameter('minSeverity', 'info') as Severity,
			}),
			includeRaw: options.includeRaw === true,
			includeHeaders: options.includeHeaders === true,
			dedupe: this.getNodeParameter('dedupe', true) as boolean,
			secretHeaders: [SIGNATURE_HEADER, ...(headerName ? [headerName] : [])],
			media: null,
		});
	}
}
