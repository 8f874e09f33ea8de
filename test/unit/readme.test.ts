import { readFileSync } from 'fs';

import { README_PATH, renderReadme, updateReadme } from '../support/readme';

describe('README reference tables', () => {
	if (process.env.README_UPDATE === '1') {
		it('are rewritten from the catalog and schemas', () => {
			updateReadme();
			const readme = readFileSync(README_PATH, 'utf8');
			expect(renderReadme(readme)).toBe(readme);
		});
		return;
	}

	it('match the catalog and the schemas (run `npm run docs` after changing either)', () => {
		const readme = readFileSync(README_PATH, 'utf8');
		expect(renderReadme(readme)).toBe(readme);
	});
});
