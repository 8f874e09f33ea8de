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

import {
	eventsSubtitle,
	MESSAGING_TRIGGER_VERSIONS,
	TRIGGER_WEBHOOKS,
} from '../shared/ui/descriptions';
import { splitList } from '../shared/core/parameters';
import { ALL_EVENTS, messagingFilter } from '../shared/core/filter';
import { mediaSettings } from '../shared/n8n/media';
import { messagingRegistration, type Authentication } from '../shared/n8n/registration';
import { checkHeaderSecret, GENERATED_HEADER_NAME, type AuthResult } from '../shared/core/security';
import { answerChallenge, receiveEvents } from '../shared/n8n/webhook';
import { recordSeenInRun } from '../shared/n8n/runDedup';
import { MESSAGING_CREDENTIAL } from '../shared/n8n/transport';
import { messagingTriggerProperties } from './description';

export class Dialog360Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Trigger',
		name: 'dialog360Trigger',
		icon: { light: 'file:../../icons/dialog360.svg', dark: 'file:../../icons/dialog360.dark.svg' },
		group: ['trigger'],
		...MESSAGING_TRIGGER_VERSIONS,
		subtitle: eventsSubtitle(),
		description:
			'Starts the workflow on WhatsApp messages, statuses and account updates from 360dialog',
		defaults: { name: '360dialog Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: MESSAGING_CREDENTIAL, required: true }],
		// An array here, so that n8n's lint sees a webhook trigger and checks its webhookMethods.
		webhooks: [...TRIGGER_WEBHOOKS],
		properties: messagingTriggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await messagingRegistration.checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await messagingRegistration.create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await messagingRegistration.delete.call(this);
			},
		},
	};

	// n8n runs this as the first node of each run the webhook starts; see recordSeenInRun.
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordSeenInRun.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') return answerChallenge.call(this);

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const authentication = this.getNodeParameter(
			'authentication',
			'generatedHeader',
		) as Authentication;
		const secret = (this.getWorkflowStaticData('node').secret as string | undefined) ?? '';
		const headerName =
			authentication === 'customHeader'
				? (this.getNodeParameter('headerName', '') as string).trim()
				: GENERATED_HEADER_NAME;
		const headerValue =
			authentication === 'customHeader'
				? (this.getNodeParameter('headerValue', '') as string)
				: secret;

		return receiveEvents.call(this, {
			authenticate: (headers): AuthResult => {
				if (authentication === 'none') return { ok: true };
				if (authentication === 'generatedHeader' && secret === '') {
					return {
						ok: false,
						message: `No secret is registered for this webhook yet. Publish the workflow (or listen for a test event) so the node registers its "${GENERATED_HEADER_NAME}" header with 360dialog.`,
					};
				}
				return checkHeaderSecret(headers, headerName, headerValue);
			},
			keep: messagingFilter({
				// Version 3 splits the choice in two; before, Specific Events does not exist (empty).
				events: [
					...(this.getNodeParameter('events', [ALL_EVENTS]) as string[]),
					...(this.getNodeParameter('specificEvents', []) as string[]),
				],
				phoneNumberIds: splitList(options.phoneNumberIds as string | undefined),
				ignoreEchoes: options.ignoreEchoes === true,
			}),
			includeRaw: options.includeRaw === true,
			includeHeaders: options.includeHeaders === true,
			dedupe: this.getNodeParameter('dedupe', true) as boolean,
			secretHeaders: [headerName],
			media: mediaSettings((name, fallback) => this.getNodeParameter(name, fallback)),
		});
	}
}
