import fc from 'fast-check';

import {
	ActionInputError,
	buttonsInteractive,
	contactsMessage,
	ctaUrlInteractive,
	flowInteractive,
	interactiveMessage,
	listInteractive,
	locationMessage,
	markAsRead,
	mediaItemPath,
	mediaMessage,
	mediaUpload,
	multipartBody,
	reactionMessage,
	sentMessage,
	templateMessage,
	textMessage,
	uploadedMediaId,
	type Addressing,
} from '../../nodes/shared/core/actions/bodies';
import {
	matchesFilters,
	readTemplates,
	templateComponents,
	templateParameters,
	variablesOf,
} from '../../nodes/shared/core/actions/templates';
import {
	explainErrorCode,
	explainErrors,
	readApiError,
	redact,
	REDACTED,
	TEMPLATE_ERROR_CODES,
	WHATSAPP_ERRORS,
} from '../../nodes/shared/core/errorCatalog';

const to = (recipient: string, extra: Partial<Addressing> = {}): Addressing => ({ recipient, recipientType: 'auto', ...extra });
const CLOUD = { messaging_product: 'whatsapp', recipient_type: 'individual' };

describe('recipient, reply context and callback data', () => {
	it('sends to a phone number as `to`, digits only, with the reply context and callback data (Cloud)', () => {
		expect(textMessage('cloud', to('+49 151 1234-5678', { replyTo: 'wamid.IN1', bizOpaqueCallbackData: 'order-7' }), { body: 'Hi' })).toEqual({
			...CLOUD,
			to: '4915112345678',
			type: 'text',
			text: { body: 'Hi' },
			context: { message_id: 'wamid.IN1' },
			biz_opaque_callback_data: 'order-7',
		});
	});

	it('sends to a business-scoped user id as `recipient` (auto-detected or chosen)', () => {
		const auto = textMessage('cloud', to('US.13491208655302741918'), { body: 'Hi' });
		expect(auto).toEqual({ ...CLOUD, recipient: 'US.13491208655302741918', type: 'text', text: { body: 'Hi' } });
		expect(auto).not.toHaveProperty('to');
		expect(textMessage('cloud', to('abc123', { recipientType: 'userId' }), { body: 'Hi' })).toMatchObject({ recipient: 'abc123' });
	});

	it('refuses what On-Premise cannot do, and recipients that are neither kind, with a sentence', () => {
		expect(() => textMessage('onPremise', to('US.13491208655302741918'), { body: 'Hi' })).toThrow(/On-Premise API cannot send to a business-scoped user id/);
		expect(() => textMessage('onPremise', to('4915112345678', { bizOpaqueCallbackData: 'x' }), { body: 'Hi' })).toThrow(/does not support Callback Data/);
		expect(() => textMessage('cloud', to(''), { body: 'Hi' })).toThrow(ActionInputError);
		expect(() => textMessage('cloud', to('not a number'), { body: 'Hi' })).toThrow(/neither a phone number nor a business-scoped user id/);
		expect(() => textMessage('cloud', to('4915112345678', { bizOpaqueCallbackData: 'x'.repeat(513) }), { body: 'Hi' })).toThrow(/512/);
	});

	it('never sends an empty reply context', () => {
		expect(textMessage('cloud', to('4915112345678', { replyTo: '  ' }), { body: 'Hi' })).not.toHaveProperty('context');
	});

	it('property: any digits-only phone goes to `to` unchanged, any user id to `recipient`', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^\d{5,15}$/), fc.stringMatching(/^[A-Z]{2}\.\d{5,20}$/), (phone, userId) => {
				expect(textMessage('cloud', to(phone), { body: 'x' }).to).toBe(phone);
				expect(textMessage('cloud', to(userId), { body: 'x' }).recipient).toBe(userId);
			}),
		);
	});
});

describe('message bodies, Cloud and On-Premise', () => {
	const phone = to('4915112345678', { replyTo: 'wamid.IN1' });

	it('text: preview_url inside `text` on Cloud, at the top level on On-Premise', () => {
		expect(textMessage('cloud', phone, { body: 'See https://x.io', previewUrl: true })).toEqual({
			...CLOUD,
			to: '4915112345678',
			type: 'text',
			text: { body: 'See https://x.io', preview_url: true },
			context: { message_id: 'wamid.IN1' },
		});
		expect(textMessage('onPremise', phone, { body: 'See https://x.io', previewUrl: true })).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'text',
			text: { body: 'See https://x.io' },
			preview_url: true,
			context: { message_id: 'wamid.IN1' },
		});
		expect(() => textMessage('cloud', phone, { body: 'x'.repeat(4097) })).toThrow(/4096/);
	});

	it('media: a link or an id, with caption and document file name', () => {
		expect(mediaMessage('cloud', phone, { type: 'document', link: 'https://x.io/r.pdf', caption: 'Receipt', filename: 'r.pdf' })).toEqual({
			...CLOUD,
			to: '4915112345678',
			type: 'document',
			document: { link: 'https://x.io/r.pdf', caption: 'Receipt', filename: 'r.pdf' },
			context: { message_id: 'wamid.IN1' },
		});
		expect(mediaMessage('onPremise', to('4915112345678'), { type: 'image', id: 'f1c3-uuid', caption: 'Look' })).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'image',
			image: { id: 'f1c3-uuid', caption: 'Look' },
		});
		// The file name belongs to documents only.
		expect(mediaMessage('cloud', to('491511'), { type: 'video', id: '77', filename: 'v.mp4' }).video).toEqual({ id: '77' });
		expect(() => mediaMessage('cloud', phone, { type: 'audio', id: '1', caption: 'no' })).toThrow(/no caption on audio/);
		expect(() => mediaMessage('cloud', phone, { type: 'image' })).toThrow(/No media/);
	});

	it('template: language code on Cloud; namespace and deterministic policy on On-Premise', () => {
		const components = [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }] }];
		expect(templateMessage('cloud', to('4915112345678'), { name: 'order_update', language: 'en_US', components })).toEqual({
			...CLOUD,
			to: '4915112345678',
			type: 'template',
			template: { name: 'order_update', language: { code: 'en_US' }, components },
		});
		expect(templateMessage('onPremise', to('4915112345678'), { name: 'order_update', language: 'en_US', namespace: 'ns_1', components: [] })).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'template',
			template: { namespace: 'ns_1', name: 'order_update', language: { policy: 'deterministic', code: 'en_US' } },
		});
		expect(() => templateMessage('onPremise', phone, { name: 'order_update', language: 'en', components: [] })).toThrow(/needs the namespace/);
		expect(() => templateMessage('cloud', phone, { name: 'order_update', language: '', components: [] })).toThrow(/No language/);
	});

	it('interactive reply buttons, list, CTA URL and flow', () => {
		const buttons = buttonsInteractive({ body: 'Pick one', header: 'Order', footer: 'Thanks', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] });
		expect(interactiveMessage('onPremise', to('4915112345678'), buttons)).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'text', text: 'Order' },
				body: { text: 'Pick one' },
				footer: { text: 'Thanks' },
				action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
			},
		});
		expect(listInteractive({ body: 'Menu', buttonText: 'Open', sections: [{ title: 'Food', rows: [{ id: 'p', title: 'Pizza', description: 'Hot' }] }, { title: 'Drinks', rows: [{ id: 'w', title: 'Water' }] }] })).toEqual({
			type: 'list',
			body: { text: 'Menu' },
			action: {
				button: 'Open',
				sections: [
					{ title: 'Food', rows: [{ id: 'p', title: 'Pizza', description: 'Hot' }] },
					{ title: 'Drinks', rows: [{ id: 'w', title: 'Water' }] },
				],
			},
		});
		const cta = ctaUrlInteractive({ body: 'Track it', displayText: 'Track', url: 'https://x.io/t/1' });
		expect(cta).toEqual({ type: 'cta_url', body: { text: 'Track it' }, action: { name: 'cta_url', parameters: { display_text: 'Track', url: 'https://x.io/t/1' } } });
		expect(interactiveMessage('cloud', to('4915112345678'), cta).interactive).toBe(cta);
		expect(flowInteractive({ body: 'Book', flowId: '123', flowCta: 'Book now', screen: 'START' })).toEqual({
			type: 'flow',
			body: { text: 'Book' },
			action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '123', flow_cta: 'Book now', flow_action: 'navigate', flow_action_payload: { screen: 'START' } } },
		});
		expect(() => interactiveMessage('onPremise', to('491511'), cta)).toThrow(/On-Premise API cannot send call-to-action URL buttons/);
	});

	it('interactive limits are checked before anything is sent', () => {
		const four = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` }));
		expect(() => buttonsInteractive({ body: 'x', buttons: four })).toThrow(/1 to 3 buttons, not 4/);
		expect(() => buttonsInteractive({ body: 'x', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] })).toThrow(/IDs must differ/);
		expect(() => buttonsInteractive({ body: 'x', buttons: [{ id: 'a', title: 'x'.repeat(21) }] })).toThrow(/longer than 20/);
		expect(() => listInteractive({ body: 'x', buttonText: 'Go', sections: [{ rows: Array.from({ length: 11 }, (_, n) => ({ id: `r${n}`, title: 'R' })) }] })).toThrow(/1 to 10 rows/);
		expect(() => listInteractive({ body: 'x', buttonText: 'Go', sections: [{ rows: [{ id: 'a', title: 'A' }] }, { title: 'B', rows: [{ id: 'b', title: 'B' }] }] })).toThrow(/title on each section/);
		expect(() => ctaUrlInteractive({ body: 'x', displayText: 'Go', url: 'ftp://x' })).toThrow(/https/);
	});

	it('reaction names its message and never carries a reply context', () => {
		expect(reactionMessage('cloud', to('4915112345678', { replyTo: 'wamid.IN1' }), { messageId: 'wamid.IN1', emoji: '👍' })).toEqual({
			...CLOUD,
			to: '4915112345678',
			type: 'reaction',
			reaction: { message_id: 'wamid.IN1', emoji: '👍' },
		});
	});

	it('location and contacts', () => {
		expect(locationMessage('onPremise', to('4915112345678'), { latitude: 52.52, longitude: 13.405, name: 'Office' })).toEqual({
			recipient_type: 'individual',
			to: '4915112345678',
			type: 'location',
			location: { latitude: 52.52, longitude: 13.405, name: 'Office' },
		});
		expect(() => locationMessage('cloud', phone, { latitude: 91, longitude: 0 })).toThrow(/between -90 and 90/);
		expect(contactsMessage('cloud', to('4915112345678'), [{ name: 'Ada Lovelace', phone: '+441234', email: 'ada@x.io', company: 'Engines' }]).contacts).toEqual([
			{
				name: { formatted_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' },
				phones: [{ phone: '+441234', type: 'CELL' }],
				emails: [{ email: 'ada@x.io', type: 'WORK' }],
				org: { company: 'Engines' },
			},
		]);
		expect(() => contactsMessage('cloud', phone, [])).toThrow(/at least one/);
	});

	it('mark as read: Cloud POST with the typing indicator; On-Premise PUT without', () => {
		expect(markAsRead('cloud', 'wamid.IN1', true)).toEqual({
			method: 'POST',
			path: '/messages',
			body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN1', typing_indicator: { type: 'text' } },
		});
		expect(markAsRead('onPremise', 'ABGG1', false)).toEqual({ method: 'PUT', path: '/v1/messages/ABGG1', body: { status: 'read' } });
		expect(() => markAsRead('onPremise', 'ABGG1', true)).toThrow(/no typing indicator/);
	});
});

describe('media upload and answers', () => {
	it('Cloud uploads multipart with messaging_product, type and the file bytes; On-Premise the raw bytes', () => {
		const data = Buffer.from([0xff, 0xd8, 0x00, 0x0d, 0x0a, 0xff]);
		const cloud = mediaUpload('cloud', 'BOUNDARY', { fileName: 'a.jpg', mimeType: 'image/jpeg', data });
		expect(cloud.path).toBe('/media');
		expect(cloud.contentType).toBe('multipart/form-data; boundary=BOUNDARY');
		const head = Buffer.from(
			'--BOUNDARY\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n' +
				'--BOUNDARY\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/jpeg\r\n' +
				'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
		);
		expect(cloud.body.equals(Buffer.concat([head, data, Buffer.from('\r\n--BOUNDARY--\r\n')]))).toBe(true);
		expect(mediaUpload('onPremise', 'B', { fileName: 'a.jpg', mimeType: 'image/jpeg', data })).toEqual({ path: '/v1/media', body: data, contentType: 'image/jpeg' });
		expect(() => mediaUpload('cloud', 'B', { fileName: 'a', mimeType: 'x/y', data: Buffer.alloc(0) })).toThrow(/empty/);
		expect(multipartBody('B', {}, { field: 'f', fileName: 'a"b\r\n.txt', mimeType: 'text/plain', data: Buffer.from('x') }).body.toString()).toContain('filename="a_b__.txt"');
	});

	it('reads ids from both APIs', () => {
		expect(uploadedMediaId({ id: '1234' })).toBe('1234');
		expect(uploadedMediaId({ media: [{ id: 'uuid-1' }] })).toBe('uuid-1');
		expect(uploadedMediaId({})).toBeNull();
		expect(sentMessage({ messages: [{ id: 'wamid.OUT', message_status: 'accepted' }] })).toEqual({ messageId: 'wamid.OUT', messageStatus: 'accepted' });
		expect(sentMessage({ messages: [{ id: 'gBGG1' }] })).toEqual({ messageId: 'gBGG1', messageStatus: null });
		expect(sentMessage('oops')).toEqual({ messageId: null, messageStatus: null });
		expect(mediaItemPath('cloud', 'a/b')).toBe('/a%2Fb');
		expect(mediaItemPath('onPremise', 'u-1')).toBe('/v1/media/u-1');
	});
});

describe('templates', () => {
	const ORDER = {
		name: 'order_update',
		language: 'en_US',
		status: 'approved',
		category: 'UTILITY',
		namespace: 'ns_1',
		components: [
			{ type: 'HEADER', format: 'IMAGE' },
			{ type: 'BODY', text: 'Hi {{1}}, order {{2}} ships {{1}}.' },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://x.io/t/{{1}}' }, { type: 'QUICK_REPLY', text: 'Stop' }, { type: 'PHONE_NUMBER', text: 'Call' }] },
		],
	};
	const NAMED = { name: 'welcome', language: 'de', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'HEADER', format: 'TEXT', text: 'Hallo {{ first_name }}' }, { type: 'BODY', text: 'Code {{code}}' }, { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE' }] }] };

	it('reads 360dialog\'s template list, skipping entries without a name', () => {
		const list = readTemplates({ count: 3, waba_templates: [ORDER, NAMED, { language: 'en' }] });
		expect(list.map((t) => [t.name, t.language, t.namespace])).toEqual([
			['order_update', 'en_US', 'ns_1'],
			['welcome', 'de', null],
		]);
		expect(readTemplates('not json')).toEqual([]);
		expect(matchesFilters(list[0], { statuses: ['APPROVED'], categories: ['utility'] })).toBe(true);
		expect(matchesFilters(list[1], { categories: ['utility'] })).toBe(false);
		expect(matchesFilters(list[1], { name: 'WEL' })).toBe(true);
	});

	it('lists the parameters a template asks for, positional and named', () => {
		expect(variablesOf('{{1}} {{ 2 }} {{1}} {{name_x}}')).toEqual(['1', '2', 'name_x']);
		expect(templateParameters(ORDER).map((p) => [p.id, p.required])).toEqual([
			['header.image', true],
			['body.1', true],
			['body.2', true],
			['button.0.url', true],
			['button.1.quick_reply', false],
		]);
		expect(templateParameters(NAMED).map((p) => p.id)).toEqual(['header.text.first_name', 'body.code', 'button.0.copy_code']);
	});

	it('builds components in WhatsApp\'s order from parameter values, whatever order they come in', () => {
		expect(templateComponents({ 'button.1.quick_reply': '', 'body.2': 'A-7', 'button.0.url': '7', 'body.1': 'Ada', 'header.image': 'https://x.io/i.jpg' })).toEqual([
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.io/i.jpg' } }] },
			{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'A-7' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '7' }] },
		]);
		expect(templateComponents({ 'header.text.first_name': 'Ada', 'body.code': 'X1', 'button.0.copy_code': 'SAVE', 'header.document': '4490' })).toEqual([
			{ type: 'header', parameters: [{ type: 'document', document: { id: '4490' } }, { type: 'text', parameter_name: 'first_name', text: 'Ada' }] },
			{ type: 'body', parameters: [{ type: 'text', parameter_name: 'code', text: 'X1' }] },
			{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE' }] },
		]);
		expect(templateComponents({ 'body.10': 'j', 'body.2': 'b' })[0].parameters).toEqual([{ type: 'text', text: 'b' }, { type: 'text', text: 'j' }]);
		expect(templateComponents({})).toEqual([]);
		expect(() => templateComponents({ footer: 'x' })).toThrow(/Unknown template parameter "footer"/);
	});
});

describe('the error table', () => {
	it('has one row per code, each with a sentence that says what to do', () => {
		const codes = WHATSAPP_ERRORS.map((row) => row.code);
		expect(new Set(codes).size).toBe(codes.length);
		for (const row of WHATSAPP_ERRORS) expect(row.meaning).toMatch(/^[A-Z0-9'].*[.]$/);
		expect(explainErrorCode(131047)).toMatchObject({ meaning: expect.stringMatching(/window is closed.*send a template/), retryable: false });
		expect(explainErrorCode(130429)?.retryable).toBe(true);
		expect(explainErrorCode(131056)?.meaning).toMatch(/pair rate limit/);
		expect(explainErrorCode(470)?.meaning).toMatch(/^On-Premise: .*window/);
		expect(explainErrorCode(999999)).toBeNull();
		expect(TEMPLATE_ERROR_CODES).toEqual([132000, 132001, 132005, 132007, 132012, 132015, 132016]);
	});

	it('explains the first known code of a list', () => {
		expect(explainErrors([{ code: 1 }, { code: 131026 }])).toMatchObject({ retryable: false, errorMeaning: expect.stringMatching(/could not be delivered/) });
		expect(explainErrors([])).toEqual({ errorMeaning: null, retryable: null });
	});

	it('reads the error of every answer shape', () => {
		expect(readApiError(400, { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours' } } })).toEqual({ code: 131047, title: '(#131047) Re-engagement message', details: 'More than 24 hours' });
		expect(readApiError(400, { errors: [{ code: 470, title: 'Message failed to send', details: 'window' }], meta: { api_status: 'stable' } })).toEqual({ code: 470, title: 'Message failed to send', details: 'window' });
		expect(readApiError(401, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } })).toEqual({ code: 401, title: 'Invalid api key', details: null });
		expect(readApiError(409, { error: 'Conflict' })).toEqual({ code: 409, title: 'Conflict', details: null });
		expect(readApiError(502, 'Bad gateway')).toEqual({ code: 502, title: null, details: null });
	});

	it('redacts secret-looking keys and the API key wherever it appears', () => {
		const body = { error: { message: 'key k3y-SECRET-1 is wrong', headers: { 'D360-API-KEY': 'whatever', Authorization: 'Bearer x' }, list: ['k3y-SECRET-1'] }, code: 1 };
		expect(redact(body, ['k3y-SECRET-1'])).toEqual({
			error: { message: `key ${REDACTED} is wrong`, headers: { 'D360-API-KEY': REDACTED, Authorization: REDACTED }, list: [REDACTED] },
			code: 1,
		});
		expect(body.error.list[0]).toBe('k3y-SECRET-1');
	});
});
