import { severityOf } from '../catalog';
import type { NormalizedEvent } from '../schemas/normalized';

/**
 * Receives each normalized item with the source element it came from. Items are built with
 * `severity: 'info'`; the emitter applies the severity table once, in one place.
 */
export type Emit = (item: NormalizedEvent, raw: unknown) => void;

export function collector(includeRaw: boolean): { emit: Emit; items: NormalizedEvent[] } {
	const items: NormalizedEvent[] = [];
	const emit: Emit = (item, raw) => {
		item.severity = severityOf(item.event, item);
		if (includeRaw) item.raw = raw;
		items.push(item);
	};
	return { emit, items };
}
