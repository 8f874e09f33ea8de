/**
 * The one set of builders for the 360dialog payloads the tests, the e2e and queue suites and the
 * benchmarks post: the Cloud API envelope and its `messages` change value, messages and statuses,
 * the On-Premise body, Partner Hub events and their signature. Plain data, no n8n: any suite may
 * import it.
 *
 * Two numbers and customers appear: the tests' own (TEST_NUMBER, TEST_CUSTOMER: the builders'
 * defaults) and the one of 360dialog's and Meta's documentation examples, which the fixtures use
 * (DOCS_NUMBER, DOCS_CUSTOMER). Both share the WABA and phone number id.
 */
import { createHmac } from 'crypto';

export type Json = Record<string, unknown>;

export const PHONE_NUMBER_ID = '106540352242922';
export const OTHER_PHONE_NUMBER_ID = '106540352242923';
export const WABA_ID = '102290129340398';

/** A business number as a Cloud payload names it. */
export interface BusinessNumber {
	wabaId: string;
	phoneNumberId: string;
	displayPhoneNumber: string;
}

/** A customer as the `contacts` list of a payload names it. */
export interface Customer {
	waId: string;
	name: string;
}

export const TEST_NUMBER: BusinessNumber = { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '15550001111' };
export const TEST_CUSTOMER: Customer = { waId: '4915112345678', name: 'Ada' };
export const DOCS_NUMBER: BusinessNumber = { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '15550783881' };
export const DOCS_CUSTOMER: Customer = { waId: '16505551234', name: 'Sheena Nelson' };

// ---------------------------------------------------------------------------------------------
// Messages and statuses (the elements of a change value or an On-Premise body)
// ---------------------------------------------------------------------------------------------

export function textMessage(id: string, body: string, from = TEST_CUSTOMER.waId, timestamp = '1717430400'): Json {
	return { from, id, timestamp, type: 'text', text: { body } };
}

export function imageMessage(id: string, from = TEST_CUSTOMER.waId): Json {
	return { from, id, timestamp: '1717430401', type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', sha256: 'abc', caption: 'look' } };
}

export function status(id: string, value: string, recipient = TEST_CUSTOMER.waId): Json {
	return { id, status: value, timestamp: '1717430500', recipient_id: recipient };
}

/** The `contacts` list of a payload: one entry for the customer. */
export const contactsOf = (customer: Customer = TEST_CUSTOMER): Json[] => [{ profile: { name: customer.name }, wa_id: customer.waId }];

// ---------------------------------------------------------------------------------------------
// Cloud API
// ---------------------------------------------------------------------------------------------

export interface ValueOptions {
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	/** The sender listed in `contacts` when the value has messages and names no contacts; null: none. */
	contact?: Customer | null;
}

/** A `messages` change value as the builders make it. */
export type MessagesValue = Json & { messaging_product: 'whatsapp'; metadata: Json; contacts?: unknown[]; messages?: unknown[] };

/**
 * A `messages` change value: `messaging_product`, `metadata` for one phone number, then the given
 * lists and fields. `options` is the phone number id alone, or ValueOptions (default TEST_NUMBER
 * and TEST_CUSTOMER).
 */
export function messagesValue<P extends Json>(parts: P, options: string | ValueOptions = {}): MessagesValue & P {
	const opts = typeof options === 'string' ? { phoneNumberId: options } : options;
	const contact = opts.contact === undefined ? TEST_CUSTOMER : opts.contact;
	return {
		messaging_product: 'whatsapp',
		metadata: {
			display_phone_number: opts.displayPhoneNumber ?? TEST_NUMBER.displayPhoneNumber,
			phone_number_id: opts.phoneNumberId ?? PHONE_NUMBER_ID,
		},
		...(parts.messages && !('contacts' in parts) && contact ? { contacts: contactsOf(contact) } : {}),
		...parts,
	};
}

export interface CloudChange<V = unknown> {
	field: string;
	value: V;
}

export const change = <V>(field: string, value: V): CloudChange<V> => ({ field, value });

/** One entry of the envelope: its changes, and its id (WABA) and time where they matter. */
export interface CloudEntry<V = unknown> {
	id: string;
	time?: number;
	changes: Array<CloudChange<V>>;
}

export interface CloudEnvelope<V = unknown> {
	object: 'whatsapp_business_account';
	entry: Array<CloudEntry<V>>;
}

/**
 * The Cloud API envelope `{object: whatsapp_business_account, entry: [...]}`. Each argument is one
 * entry: a list of changes (ids WABA_ID, WABA_ID + "1", ...), or a CloudEntry.
 */
export function cloudEnvelope<V = unknown>(...entries: Array<Array<CloudChange<NoInfer<V>>> | CloudEntry<NoInfer<V>>>): CloudEnvelope<V> {
	return {
		object: 'whatsapp_business_account',
		entry: entries.map((entry, index) => (Array.isArray(entry) ? { id: index === 0 ? WABA_ID : `${WABA_ID}${index}`, changes: entry } : entry)),
	};
}

/** An envelope with one `messages` change for one business number (default TEST_NUMBER, TEST_CUSTOMER). */
export function cloudMessages<P extends Json>(parts: P, number: Partial<BusinessNumber> = {}, contact?: Customer | null): CloudEnvelope<MessagesValue & P> {
	return cloudEnvelope<MessagesValue & P>({
		id: number.wabaId ?? WABA_ID,
		changes: [change('messages', messagesValue(parts, { phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber, contact }))],
	});
}

/** An envelope with one text message from `customer` (default TEST_CUSTOMER) to `number`. */
export function cloudTextMessage(
	id: string,
	body: string,
	options: { number?: Partial<BusinessNumber>; customer?: Customer; timestamp?: string } = {},
): CloudEnvelope<MessagesValue & { contacts: Json[]; messages: Json[] }> {
	const customer = options.customer ?? TEST_CUSTOMER;
	return cloudMessages({ contacts: contactsOf(customer), messages: [textMessage(id, body, customer.waId, options.timestamp)] }, options.number);
}

export function echoValue(id: string, body: string, phoneNumberId = PHONE_NUMBER_ID): Json {
	return {
		messaging_product: 'whatsapp',
		metadata: { display_phone_number: TEST_NUMBER.displayPhoneNumber, phone_number_id: phoneNumberId },
		message_echoes: [{ from: TEST_NUMBER.displayPhoneNumber, to: TEST_CUSTOMER.waId, id, timestamp: '1717430600', type: 'text', text: { body } }],
	};
}

// ---------------------------------------------------------------------------------------------
// On-Premise
// ---------------------------------------------------------------------------------------------

/** An On-Premise body: `contacts` for the customer when there are messages (unless given or null), then the lists. */
export function onPremiseBody<P extends Json>(parts: P, contact: Customer | null = TEST_CUSTOMER): P & { contacts?: Json[] } {
	return {
		...(parts.messages && !('contacts' in parts) && contact ? { contacts: contactsOf(contact) } : {}),
		...parts,
	};
}

// ---------------------------------------------------------------------------------------------
// Partner Hub events and signatures
// ---------------------------------------------------------------------------------------------

export const SIGNING_SECRET = 'dummy-platform-secret-2f9c';

export const partnerEvent = (event: string, data: Json = {}, id?: string): Json => ({
	...(id === undefined ? {} : { id }),
	event,
	data,
});

export type SignatureEncoding = 'hex' | 'HEX' | 'sha256=hex' | 'base64';

/** The `x-360dialog-signature` value for exact raw bytes: HMAC-SHA256 keyed with the signing secret. */
export function sign(raw: Buffer | string, secret = SIGNING_SECRET, encoding: SignatureEncoding = 'hex'): string {
	const digest = createHmac('sha256', secret).update(raw).digest();
	switch (encoding) {
		case 'hex':
			return digest.toString('hex');
		case 'HEX':
			return digest.toString('hex').toUpperCase();
		case 'sha256=hex':
			return `sha256=${digest.toString('hex')}`;
		case 'base64':
			return digest.toString('base64');
	}
}
