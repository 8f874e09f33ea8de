/**
 * The names n8n knows this package's nodes and credentials by, read from package.json and the
 * classes themselves, so that a rename changes every test with it.
 */
import type { INodeType } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { Dialog360PartnerApi } from '../../credentials/Dialog360PartnerApi.credentials';
import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { Dialog360Normalize } from '../../nodes/Dialog360Normalize/Dialog360Normalize.node';
import { Dialog360PartnerTrigger } from '../../nodes/Dialog360PartnerTrigger/Dialog360PartnerTrigger.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { name as PACKAGE_NAME } from '../../package.json';

const typeOf = (node: INodeType) => `${PACKAGE_NAME}.${node.description.name}`;

/** Node type names as workflows reference them (`INode.type`). */
export const NODE_TYPES = {
	trigger: typeOf(new Dialog360Trigger()),
	partnerTrigger: typeOf(new Dialog360PartnerTrigger()),
	normalize: typeOf(new Dialog360Normalize()),
	action: typeOf(new Dialog360()),
} as const;

/** Credential type names as nodes and exported credentials reference them. */
export const CREDENTIAL_TYPES = {
	messaging: new Dialog360Api().name,
	partner: new Dialog360PartnerApi().name,
} as const;
