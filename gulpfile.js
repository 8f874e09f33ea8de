const { src, dest } = require('gulp');

// tsc compiles the TypeScript; the editor also needs the icons and each node's codex file.
function buildStatic() {
	return src(['icons/**/*.{svg,png}', 'nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:static'] = buildStatic;
