/**
 * `npm run docs`: rewrites the generated parts of README.md (the reference tables from the catalog
 * and the schemas, the compatibility table from scripts/n8n-host.json). test/unit/readme.test.ts
 * fails while they are stale.
 */
import { README_PATH, updateReadme } from '../test/support/readme';

console.log(updateReadme() ? `rewrote the generated tables of ${README_PATH}` : `${README_PATH} is up to date`);
