/**
 * The editor runner (`npm run test:ui`): this package in a real n8n editor, driven with headless
 * Chromium. The steps are in test/ui/editor.ui.ts; this file only starts them.
 */
import { main } from './editor.ui';

void main().then((code) => {
	process.exitCode = code;
});
