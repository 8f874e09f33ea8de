import { detectFormat, normalize, NormalizedEventSchema } from '../../index';
import { corpusAvailable, corpusFiles, corpusPayload, corpusText, countKinds, CORPUS_DIR } from '../support/corpus';

const FORMAT = { cloud: 'cloud', onprem: 'on_premise', partner: 'partner' } as const;

if (!corpusAvailable()) {
	console.warn(`Corpus conformance skipped: no manifest at ${CORPUS_DIR} (set DIALOG360_CORPUS to its folder).`);
}

const describeCorpus = corpusAvailable() ? describe : describe.skip;

describeCorpus('corpus conformance', () => {
	const files = corpusFiles();

	it('holds the files the manifest lists', () => {
		expect(files.length).toBeGreaterThanOrEqual(166);
	});

	it.each(files.map((file) => [file.path, file] as const))('%s yields its expected counts', (_path, file) => {
		const payload = corpusPayload(file);
		expect(detectFormat(payload)).toBe(FORMAT[file.format]);
		const items = normalize(payload);
		expect(countKinds(items.map((item) => item.kind))).toEqual(file.expect);
		for (const item of items) expect(NormalizedEventSchema.parse(item)).toEqual(item);
		// The JSON text normalizes exactly like the parsed body.
		expect(normalize(corpusText(file))).toEqual(items);
	});

	it('lifts every message type and status value the manifest names', () => {
		for (const file of files) {
			const items = normalize(corpusPayload(file));
			const types = items.filter((item) => item.kind === 'message').map((item) => (item.kind === 'message' ? item.type : ''));
			for (const type of file.message_types ?? []) {
				if (file.fields && !file.fields.includes('messages')) continue;
				expect(types).toContain(type === 'voice' ? 'audio' : type);
			}
			const statuses = items.filter((item) => item.kind === 'status').map((item) => (item.kind === 'status' ? item.status : ''));
			for (const status of file.status_values ?? []) {
				if (file.fields && !file.fields.includes('messages')) continue;
				expect(statuses).toContain(status);
			}
		}
	});
});
