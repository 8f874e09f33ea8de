// Benchmarks never ship either: the same relaxed rules as the tests.
export { default } from '../test/eslint.config.mjs';
