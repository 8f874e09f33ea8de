/**
 * The pure core of n8n-nodes-360dialog, usable without n8n: normalize 360dialog webhook bodies
 * (WhatsApp Cloud API, On-Premise API, Partner Hub) into one uniform item per event.
 */
export {
	normalize,
	detectFormat,
	InvalidPayloadError,
	FORMATS,
	MAX_EVENTS_PER_BODY,
} from './nodes/shared/core/normalize';
export type { Format, NormalizeOptions } from './nodes/shared/core/normalize';
export * from './nodes/shared/core/schemas/normalized';
export {
	CloudPayloadSchema,
	OnPremisePayloadSchema,
	PartnerPayloadSchema,
	PartnerEventInputSchema as PartnerHubEventSchema,
	MessageInputSchema as WhatsAppMessageSchema,
	StatusInputSchema as WhatsAppStatusSchema,
} from './nodes/shared/core/schemas/payloads';
export type { CloudPayload, OnPremisePayload } from './nodes/shared/core/schemas/payloads';
export * from './nodes/shared/core/catalog';
export {
	messagingFilter,
	partnerFilter,
	isUnknownEvent,
	ALL_EVENTS,
	UNKNOWN_EVENT,
} from './nodes/shared/core/filter';
export type { MessagingFilter, PartnerFilter, PartnerPreset } from './nodes/shared/core/filter';
export { WHATSAPP_ERRORS, explainErrorCode } from './nodes/shared/core/errorCatalog';
export type { WhatsAppErrorCode } from './nodes/shared/core/errorCatalog';
