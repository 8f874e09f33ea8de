import fc from 'fast-check';

import { instant, isoString } from '../../nodes/shared/core/normalize/read';

describe('isoString, the hand-written ISO 8601 formatter', () => {
	it('equals Date#toISOString for every millisecond a Date can hold', () => {
		fc.assert(
			fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
				expect(isoString(ms)).toBe(new Date(ms).toISOString());
			}),
			{ numRuns: 5000 },
		);
	});

	it('equals Date#toISOString around the edges of its fast range', () => {
		const edges = [0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1];
		for (const ms of edges) expect(isoString(ms)).toBe(new Date(ms).toISOString());
	});

	it('reads unix seconds, milliseconds and ISO strings to the same instant', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
				const expected = new Date(seconds * 1000).toISOString();
				expect(instant(seconds).timestamp).toBe(expected);
				expect(instant(String(seconds)).timestamp).toBe(expected);
				if (seconds > 1e9) expect(instant(seconds * 1000).timestamp).toBe(expected);
				expect(instant(expected).timestamp).toBe(expected);
			}),
		);
	});
});
