import { partnerEventName, qualityDropped } from '../catalog';
import type { Emit, Sink } from './emit';
import { boundedJson, describe, first, instant, isObject, obj, str, type JsonObject } from './read';

const QUALITY_EVENTS = new Set([
	'phone_number_quality_changed',
	'waba_template_quality_score_changed',
]);

/**
 * Partner Hub body: `{id, event, data}` or a JSON array of them. `data` is the channel object for
 * lifecycle events (`setup_info`, `client`, `waba_account`, ...). Some senders flatten it
 * (`data.phone_number`), and template updates may carry the WABA id as `data.id`: both are read.
 * Coexistence events (`history`, `smb_app_state_sync`) carry Meta's change value with `id` = the
 * WABA id and the phone ids in `data.metadata`.
 */
export function normalizePartner(payload: unknown, out: Sink, root = '$'): void {
	const events = Array.isArray(payload) ? payload : [payload];
	const pathOf = (index: number) => (Array.isArray(payload) ? `${root}[${index}]` : root);
	out.forEach(
		events,
		() => root,
		(event: unknown, index) => {
			const problem = partnerProblem(event);
			if (problem === null) partnerEvent(event as PartnerEnvelope, out.emit);
			else
				out.invalid(
					event,
					() => `${pathOf(index)}${problem.at}`,
					() => problem.reason,
				);
		},
	);
}

type PartnerEnvelope = JsonObject & { event: string };

/** What makes an element of a Partner Hub body not an event, or null when it is one. */
function partnerProblem(event: unknown): { at: string; reason: string } | null {
	if (!isObject(event))
		return { at: '', reason: `A partner event must be an object, got ${describe(event)}` };
	if (typeof event.event !== 'string' || event.event === '')
		return {
			at: '.event',
			reason: `\`event\` must be a non-empty string, got ${describe(event.event)}`,
		};
	if (event.data !== undefined && event.data !== null && !isObject(event.data))
		return { at: '.data', reason: `\`data\` must be an object, got ${describe(event.data)}` };
	return null;
}

function partnerEvent(envelope: PartnerEnvelope, emit: Emit): void {
	const name = envelope.event;
	const data = obj(envelope.data) ?? {};
	const setup = obj(data.setup_info);
	const client = obj(data.client);
	const waba = obj(data.waba_account);
	const template = obj(data.template);
	const lower = name.toLowerCase();
	// A template update without channel markers carries the WABA id in data.id (360dialog's own test shape).
	const isChannelObject =
		setup !== null ||
		waba !== null ||
		data.client_id !== undefined ||
		data.account_mode !== undefined;
	// Coexistence events (history, smb_app_state_sync) carry Meta's change value plus id = the WABA id.
	const metadata = isChannelObject ? null : obj(data.metadata);
	const isMetaValue =
		metadata !== null || (!isChannelObject && data.messaging_product !== undefined);
	const wabaIdInDataId = (template !== null && !isChannelObject) || isMetaValue;
	// client_created comes before any channel: its data is the client object, data.id the client id.
	const isClientObject = lower === 'client_created' && !isChannelObject && client === null;

	const templateInfo = template && {
		id: str(template.id),
		externalId: str(template.external_id),
		name: str(template.name),
		language: str(template.language),
		status: first(str(template.new_status), str(template.status), str(template.event)),
		reason: first(str(template.rejected_reason), str(template.reason)),
		category: first(str(template.new_category), str(template.category)),
		qualityScore: first(str(template.new_quality_score), str(template.quality_score)),
	};

	const isQualityEvent = QUALITY_EVENTS.has(lower);
	const qualityEvent = isQualityEvent
		? first(str(data.current_quality_update_event), str(data.event))
		: null;
	const qualityRating =
		lower === 'waba_template_quality_score_changed'
			? first(templateInfo?.qualityScore, str(data.new_quality_score))
			: first(
					str(data.current_quality_rating),
					str(data.quality_rating),
					str(data.new_quality_rating),
				);
	const previousQualityRating = first(
		template && str(template.previous_quality_score),
		str(data.previous_quality_rating),
		str(data.old_quality_rating),
	);
	const violationInfo = data.violation_info;
	const violationType = first(
		str(data.violation_type),
		obj(violationInfo) && str((violationInfo as JsonObject).violation_type),
	);

	emit(
		{
			kind: 'partner',
			event: partnerEventName(name),
			source: 'partner',
			id: str(envelope.id),
			...instant(first(envelope.timestamp, envelope.created_at)),
			// Meta's WABA id (as in Cloud `entry.id`) is `external_id`; `id` is 360dialog's own.
			wabaId: first(
				waba && str(waba.external_id),
				waba && str(waba.id),
				str(data.waba_account_id),
				str(data.waba_id),
				wabaIdInDataId ? str(data.id) : null,
			),
			phoneNumberId: first(
				str(data.phone_number_id),
				setup && str(setup.phone_number_id),
				metadata && str(metadata.phone_number_id),
			),
			displayPhoneNumber: first(
				setup && str(setup.phone_number),
				str(data.phone_number),
				str(data.display_phone_number),
				metadata && str(metadata.display_phone_number),
			),
			partnerEvent: name,
			eventId: str(envelope.id),
			channelId: first(
				str(data.channel_id),
				wabaIdInDataId || isClientObject ? null : str(data.id),
			),
			clientId: first(
				str(data.client_id),
				client && str(client.id),
				isClientObject ? str(data.id) : null,
			),
			clientName: first(client && str(client.name), isClientObject ? str(data.name) : null),
			phoneNumber: first(
				setup && str(setup.phone_number),
				str(data.phone_number),
				str(data.display_phone_number),
				metadata && str(metadata.display_phone_number),
			),
			phoneName: first(setup && str(setup.phone_name), str(data.phone_name)),
			status: str(data.status),
			accountMode: str(data.account_mode),
			qualityRating,
			previousQualityRating,
			qualityEvent,
			qualityDropped: isQualityEvent
				? qualityDropped(previousQualityRating, qualityRating, qualityEvent)
				: null,
			messagingLimit: first(str(data.current_limit), str(data.messaging_limit)),
			template: templateInfo,
			violation:
				violationType !== null || violationInfo !== undefined
					? {
							type: violationType,
							info:
								typeof violationInfo === 'string'
									? violationInfo
									: isObject(violationInfo)
										? boundedJson(violationInfo)
										: null,
						}
					: null,
			templateStatus: templateInfo && templateInfo.status,
			data,
			severity: 'info',
		},
		envelope,
	);
}
