/** The corpus payloads the benchmark sends, sorted by what they do to a trigger on All Messages. */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type * as Package from '../../index';
import { REPO, SetupError } from '../../scripts/n8n-session';
import type { CorpusFile } from '../../test/support/corpus';

export interface Corpus {
	/** Bodies whose only content is messages: each starts one execution of the trigger. */
	messages: unknown[];
	/** Bodies whose only content is statuses: the trigger on All Messages filters them out. */
	statuses: unknown[];
	/** Bodies with messages and/or statuses, for P4; `flatEvents[i]` is how many events flat[i] holds. */
	flat: unknown[];
	flatEvents: number[];
	counts: { messages: number; statuses: number; flat: number };
}

export function loadCorpus(dir: string): Corpus {
	const manifestFile = path.join(dir, 'manifest.json');
	if (!fs.existsSync(manifestFile)) {
		throw new SetupError(`no corpus at ${dir} (manifest.json missing): set DIALOG360_CORPUS`);
	}
	const files = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: CorpusFile[] }).files;
	const read = (file: CorpusFile): unknown => JSON.parse(fs.readFileSync(path.join(dir, file.path), 'utf8'));
	const plain = (f: CorpusFile) => f.expect.errors === 0 && f.expect.other === 0 && f.expect.events === 0;
	const messaging = files.filter((f) => f.format === 'cloud' || f.format === 'onprem');
	const messages = messaging.filter((f) => plain(f) && f.expect.messages > 0 && !f.expect.statuses);
	const statuses = messaging.filter((f) => plain(f) && f.expect.statuses > 0 && !f.expect.messages);
	const flat = messaging.filter((f) => plain(f) && f.expect.messages + f.expect.statuses > 0);
	const corpus: Corpus = {
		messages: messages.map(read),
		statuses: statuses.map(read),
		flat: flat.map(read),
		flatEvents: flat.map((f) => f.expect.messages + f.expect.statuses),
		counts: { messages: messages.length, statuses: statuses.length, flat: flat.length },
	};
	checkMixes(corpus);
	return corpus;
}

/** With the built package: every message payload must start an execution, no status payload may. */
function checkMixes(corpus: Corpus): void {
	// The build under test (dist/), not the sources.
	const { normalize, messagingFilter } = createRequire(__filename)(path.join(REPO, 'dist/index.js')) as typeof Package;
	const keep = messagingFilter({ events: ['group:messages'] });
	corpus.messages.forEach((body, i) => {
		if (!normalize(body).some(keep))
			throw new SetupError(`message payload #${i} would not execute`);
	});
	corpus.statuses.forEach((body, i) => {
		if (normalize(body).some(keep)) throw new SetupError(`status payload #${i} would execute`);
	});
}
