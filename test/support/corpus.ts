import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';

/** The shared corpus of real third-party payloads: `../shared/corpus` beside the repository. */
export const CORPUS_DIR = process.env.DIALOG360_CORPUS ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

export interface CorpusFile {
	path: string;
	format: 'cloud' | 'onprem' | 'partner';
	description: string;
	expect: { messages: number; statuses: number; errors: number; events: number; other: number };
	message_types?: string[];
	status_values?: string[];
	fields?: string[];
}

export const corpusAvailable = (): boolean => existsSync(join(CORPUS_DIR, 'manifest.json'));

export function corpusFiles(): CorpusFile[] {
	if (!corpusAvailable()) return [];
	return (JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { files: CorpusFile[] }).files;
}

export const corpusText = (file: CorpusFile): string => readFileSync(join(CORPUS_DIR, file.path), 'utf8');
export const corpusPayload = (file: CorpusFile): unknown => JSON.parse(corpusText(file));

/** The manifest's counting buckets, for a list of normalized item kinds. */
export function countKinds(kinds: string[]): CorpusFile['expect'] {
	const counts = { messages: 0, statuses: 0, errors: 0, events: 0, other: 0 };
	for (const kind of kinds) {
		if (kind === 'message') counts.messages++;
		else if (kind === 'status') counts.statuses++;
		else if (kind === 'error') counts.errors++;
		else if (kind === 'partner') counts.events++;
		else counts.other++;
	}
	return counts;
}
