#!/usr/bin/env node
'use strict';
/**
 * The editor runner (`npm run test:ui`): this package in a real n8n editor, driven with headless
 * Chromium. The steps are in test/ui/editor.ui.ts (TypeScript, transpiled on require like the
 * other runners' helpers); this file only starts them.
 */
const n8nProcess = require('../../scripts/n8n-process.js');

n8nProcess.registerTypeScript();
require('./editor.ui.ts')
	.main()
	.then((code) => {
		process.exitCode = code;
	});
