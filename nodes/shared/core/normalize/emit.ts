import { severityOf } from '../catalog';
import type { NormalizedEvent, Source, UnknownEvent } from '../schemas/normalized';
import { baseItem, type BusinessNumber } from './items';
import type { Instant } from './read';

/**
 * Receives each normalized item with the source element it came from. Items are built with
 * `severity: 'info'`; the emitter applies the severity table once, in one place.
 */
export type Emit = (item: NormalizedEvent, raw: unknown) => void;

/**
 * The most events one body yields. 360dialog sends a handful per request; a body past this is not a
 * delivery but a flood, and one item per element would hold hundreds of bytes of heap per input
 * byte. The elements past it are not dropped: they stay, unread, in one `unknown` item.
 */
export const MAX_EVENTS_PER_BODY = 10_000;

export const NO_ORIGIN: BusinessNumber = { wabaId: null, phoneNumberId: null, displayPhoneNumber: null };

/** Where the items of one body go, and what happens to the elements that cannot be items. */
export interface Sink {
	readonly emit: Emit;
	/**
	 * An element that is not what its place requires (a `null` message, a change without `value`):
	 * it becomes an `unknown` item with the element, its JSON path and the reason, and its siblings
	 * are read as usual. Path and reason are built only for an item: past the limit, a flood of bad
	 * elements costs no strings.
	 */
	invalid(element: unknown, path: () => string, reason: () => string, origin?: BusinessNumber): void;
	/**
	 * Calls `each` for the elements of a list while the body is under {@link MAX_EVENTS_PER_BODY};
	 * the rest are kept for the overflow item.
	 */
	forEach<T>(
		list: readonly T[],
		path: () => string,
		each: (element: T, index: number) => void,
	): void;
	/** The items, with the overflow item last when there is one. */
	finish(): NormalizedEvent[];
}

export function unknownItem(
	source: Source,
	origin: BusinessNumber,
	time: Instant,
	fields: Pick<UnknownEvent, 'field' | 'value' | 'problem' | 'path'>,
): UnknownEvent {
	return Object.assign(baseItem('unknown', 'unknown', source, origin, time), fields);
}

const NO_TIME: Instant = { timestamp: null, timestampUnix: null };

/** A sink for one body of the given format. */
export function collector(
	source: Source,
	includeRaw: boolean,
	maxEvents = MAX_EVENTS_PER_BODY,
): Sink {
	const items: NormalizedEvent[] = [];
	/** The elements past the limit, as the slices they came in; the path is the first one's. */
	const overflow: unknown[][] = [];
	let overflowPath = '';

	const emit: Emit = (item, raw) => {
		item.severity = severityOf(item.event, item);
		if (includeRaw) item.raw = raw;
		items.push(item);
	};
	/** The slice single elements past the limit are added to, while no list slice follows them. */
	let loose: unknown[] | null = null;
	const keep = (elements: unknown[], path: () => string): void => {
		if (overflow.length === 0) overflowPath = path();
		overflow.push(elements);
	};

	return {
		emit,
		invalid(element, path, reason, origin = NO_ORIGIN) {
			if (items.length >= maxEvents) {
				if (loose === null) keep((loose = []), path);
				loose.push(element);
				return;
			}
			const fields = { field: null, value: element, problem: reason(), path: path() };
			emit(unknownItem(source, origin, NO_TIME, fields), element);
		},
		forEach(list, path, each) {
			for (let index = 0; index < list.length; index++) {
				if (items.length >= maxEvents) {
					loose = null;
					return keep(list.slice(index), () => `${path()}[${index}]`);
				}
				each(list[index], index);
			}
		},
		finish() {
			if (overflow.length > 0) {
				const rest = flatten(overflow);
				const problem = `The body holds more than ${maxEvents} events. The first ${maxEvents} are items; the ${rest.length} elements after them, from ${overflowPath} on, are kept here unread.`;
				// The overflow item itself is the one item allowed past the limit.
				const fields = { field: null, value: rest, problem, path: overflowPath };
				emit(unknownItem(source, NO_ORIGIN, NO_TIME, fields), rest);
			}
			return items;
		},
	};
}

/** One list of the slices' elements, without a spread: there can be millions of them. */
function flatten(slices: unknown[][]): unknown[] {
	if (slices.length === 1) return slices[0];
	const all: unknown[] = [];
	for (const slice of slices) for (const element of slice) all.push(element);
	return all;
}
