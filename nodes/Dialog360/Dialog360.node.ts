import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MESSAGING_CREDENTIAL } from '../shared/n8n/transport';
import { properties } from './description';
import { execute } from './execute';
import { getTemplateLanguages, getTemplateParameters, searchTemplates } from './methods';

export class Dialog360 implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog',
		name: 'dialog360',
		icon: { light: 'file:../../icons/dialog360.svg', dark: 'file:../../icons/dialog360.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send WhatsApp messages, templates and interactive messages, mark messages as read, and manage media through 360dialog',
		defaults: { name: '360dialog' },
		usableAsTool: true,
		credentials: [{ name: MESSAGING_CREDENTIAL, required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties,
	};

	methods = {
		listSearch: { searchTemplates },
		loadOptions: { getTemplateLanguages },
		resourceMapping: { getTemplateParameters },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute(this);
	}
}
