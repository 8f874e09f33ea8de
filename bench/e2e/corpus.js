'use strict';
/** The corpus payloads the benchmark sends, sorted by what they do to a trigger on All Messages. */
const fs = require('node:fs');
const path = require('node:path');

const { REPO, SetupError } = require('../../scripts/n8n-session.ts');

function loadCorpus(dir) {
	const manifestFile = path.join(dir, 'manifest.json');
	if (!fs.existsSync(manifestFile)) {
		throw new SetupError(`no corpus at ${dir} (manifest.json missing): set DIALOG360_CORPUS`);
	}
	const files = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).files;
	const read = (file) => JSON.parse(fs.readFileSync(path.join(dir, file.path), 'utf8'));
	const plain = (f) => f.expect.errors === 0 && f.expect.other === 0 && f.expect.events === 0;
	const messaging = files.filter((f) => f.format === 'cloud' || f.format === 'onprem');
	const messages = messaging.filter((f) => plain(f) && f.expect.messages > 0 && !f.expect.statuses);
	const statuses = messaging.filter((f) => plain(f) && f.expect.statuses > 0 && !f.expect.messages);
	const flat = messaging.filter((f) => plain(f) && f.expect.messages + f.expect.statuses > 0);
	const corpus = {
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
function checkMixes(corpus) {
	const { normalize, messagingFilter } = require(path.join(REPO, 'dist/index.js'));
	const keep = messagingFilter({ events: ['group:messages'] });
	corpus.messages.forEach((body, i) => {
		if (!normalize(body).some(keep))
			throw new SetupError(`message payload #${i} would not execute`);
	});
	corpus.statuses.forEach((body, i) => {
		if (normalize(body).some(keep)) throw new SetupError(`status payload #${i} would execute`);
	});
}

module.exports = { loadCorpus };
