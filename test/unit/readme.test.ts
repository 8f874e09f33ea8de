import { readFileSync } from 'fs';

import { README_PATH, renderReadme } from '../support/readme';

describe('README reference tables', () => {
	it('match the catalog and the schemas (run `npm run docs` after changing either)', () => {
		const readme = readFileSync(README_PATH, 'utf8');
		expect(renderReadme(readme)).toBe(readme);
	});
});
