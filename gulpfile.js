const { src, dest } = require('gulp');

// tsc compiles the TypeScript; the editor also needs each node's icons and codex file beside it.
function buildStatic() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:static'] = buildStatic;
