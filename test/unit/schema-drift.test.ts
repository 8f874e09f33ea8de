/**
 * The input schemas (nodes/shared/core/schemas/payloads.ts) and the normalizer's readers describe the
 * same payloads twice. This test keeps them one description: it runs normalize() over every authored
 * fixture and corpus file with the payload wrapped in a proxy that records each property the
 * readers ask for, and fails when a reader asks for a field that the input schema of that format
 * does not declare, or when the schema declares a field that no reader ever asks for.
 *
 * Objects the schema leaves open (`loose({})`) are not checked below them. Reads made while a
 * reader copies an object whole (after it listed the object's keys) are not counted: that is
 * passing data through, not reading a field.
 */
import { z } from 'zod';

import { normalize } from '../../index';
import {
	CloudPayloadSchema,
	OnPremisePayloadSchema,
	PartnerPayloadSchema,
} from '../../nodes/shared/core/schemas/payloads';
import { FIXTURE_FOLDERS, loadFixtures, type FixtureFolder } from '../fixtures/load';
import { corpusFiles, corpusPayload } from '../support/corpus';

const SCHEMAS: Record<FixtureFolder, z.ZodTypeAny> = {
	cloud: CloudPayloadSchema,
	onprem: OnPremisePayloadSchema,
	partner: PartnerPayloadSchema,
};
const CORPUS_FOLDER = { cloud: 'cloud', onprem: 'onprem', partner: 'partner' } as const;

/** A path of property names, with `[]` for "an element of a list". */
type Path = string;

/** Wraps `value` so that every property read through it lands in `reads`. */
function recording(
	value: unknown,
	reads: Set<Path>,
	path = '',
	copied = new WeakSet<object>(),
): unknown {
	if (typeof value !== 'object' || value === null) return value;
	return new Proxy(value, {
		ownKeys(target) {
			copied.add(target);
			return Reflect.ownKeys(target);
		},
		get(target, key, receiver) {
			const child: unknown = Reflect.get(target, key, receiver);
			if (typeof key !== 'string') return child;
			const isIndex = Array.isArray(target) && /^\d+$/.test(key);
			if (Array.isArray(target) && !isIndex) return child; // length, map, ...
			const childPath = isIndex ? `${path}[]` : path === '' ? key : `${path}.${key}`;
			if (!copied.has(target) && !isIndex) reads.add(childPath);
			return recording(child, reads, childPath, copied);
		},
	});
}

type Lookup = 'declared' | 'open' | 'undeclared';

/** A field of a schema object: the object and the key. Shared objects (MessageSchema) count once. */
type Field = `${number}.${string}`;
const objectIds = new Map<z.ZodTypeAny, number>();
const fieldOf = (object: z.ZodTypeAny, key: string): Field => {
	if (!objectIds.has(object)) objectIds.set(object, objectIds.size);
	return `${objectIds.get(object)}.${key}` as Field;
};

/**
 * Whether `schema` declares the field at `segments` (a path split at dots and `[]`); the schema
 * field a declared path ends at goes into `hits`.
 */
function lookup(schema: z.ZodTypeAny, segments: string[], hits?: Set<Field>): Lookup {
	const inner = unwrap(schema);
	if (segments.length === 0) return 'declared';
	if (inner instanceof z.ZodUnion) {
		const answers = (inner.options as z.ZodTypeAny[]).map((option) =>
			lookup(option, segments, hits),
		);
		return answers.includes('declared')
			? 'declared'
			: answers.includes('open')
				? 'open'
				: 'undeclared';
	}
	const [head, ...rest] = segments;
	if (head === '[]') {
		if (inner instanceof z.ZodArray) return lookup(inner.element as z.ZodTypeAny, rest, hits);
		// A top-level list of bodies (a relay's batch) is read body by body.
		return lookup(inner, rest, hits);
	}
	if (inner instanceof z.ZodObject) {
		const shape = inner.shape as Record<string, z.ZodTypeAny>;
		if (Object.keys(shape).length === 0) return 'open';
		// An object that declares a catchall (not just passing keys through) leaves other keys open.
		const catchall = (inner._def as { catchall?: z.ZodTypeAny }).catchall;
		if (!(head in shape)) return catchall && !(catchall instanceof z.ZodNever) ? 'open' : 'undeclared';
		if (rest.length === 0) hits?.add(fieldOf(inner, head));
		return lookup(shape[head], rest, hits);
	}
	// A scalar the reader looks into, or a record/any: nothing more to compare.
	return 'open';
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
	let current = schema;
	for (;;) {
		if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
			current = current.unwrap();
		else if (current instanceof z.ZodEffects) current = current.innerType();
		else if (current instanceof z.ZodLazy) current = current.schema;
		else if (current instanceof z.ZodDefault) current = current.removeDefault();
		else return current;
	}
}

const split = (path: Path): string[] =>
	path.split(/\.|(?=\[\])|(?<=\[\])/).filter((segment) => segment !== '');

/** Every field of every object `schema` declares, with the first path that reaches it. */
function declared(
	schema: z.ZodTypeAny,
	path = '',
	found = new Map<Field, Path>(),
): Map<Field, Path> {
	const inner = unwrap(schema);
	if (inner instanceof z.ZodUnion) {
		for (const option of inner.options as z.ZodTypeAny[]) declared(option, path, found);
	} else if (inner instanceof z.ZodArray) {
		declared(inner.element as z.ZodTypeAny, `${path}[]`, found);
	} else if (inner instanceof z.ZodObject) {
		for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodTypeAny>)) {
			const field = fieldOf(inner, key);
			if (found.has(field)) continue;
			const childPath = path === '' ? key : `${path}.${key}`;
			found.set(field, childPath);
			declared(child, childPath, found);
		}
	}
	return found;
}

function payloadsOf(folder: FixtureFolder): unknown[] {
	const fixtures = [...loadFixtures(folder).values()].map((fixture) => fixture.payload);
	const corpus = corpusFiles()
		.filter((file) => file.format === CORPUS_FOLDER[folder])
		.map(corpusPayload);
	return [...fixtures, ...corpus];
}

/** Root keys of every format, which detection looks at in any body (`object`, `entry`, `event`, ...). */
const rootKeys = new Set(
	Object.values(SCHEMAS).flatMap((schema) => {
		const inner = unwrap(schema);
		const options = inner instanceof z.ZodUnion ? (inner.options as z.ZodTypeAny[]) : [inner];
		return options.flatMap((option) => {
			const body = unwrap(option);
			const object = body instanceof z.ZodArray ? unwrap(body.element as z.ZodTypeAny) : body;
			return object instanceof z.ZodObject ? Object.keys(object.shape as object) : [];
		});
	}),
);
const isRootKey = (path: Path) => rootKeys.has(path.replace(/^\[\]\./, ''));

const readsOf = new Map<FixtureFolder, Set<Path>>(
	FIXTURE_FOLDERS.map((folder) => {
		const reads = new Set<Path>();
		const format = folder === 'onprem' ? 'on_premise' : folder;
		for (const payload of payloadsOf(folder)) normalize(recording(payload, reads), { format });
		return [folder, reads];
	}),
);

it.each(FIXTURE_FOLDERS)(
	'%s: every field a reader asks for is declared in the input schema (or below an object it leaves open)',
	(folder) => {
		const undeclared = [...readsOf.get(folder)!].filter(
			(path) => !isRootKey(path) && lookup(SCHEMAS[folder], split(path)) === 'undeclared',
		);
		expect(undeclared.sort()).toEqual([]);
	},
);

it('every field an input schema declares is asked for by a reader of some format', () => {
	const hits = new Set<Field>();
	for (const folder of FIXTURE_FOLDERS) {
		for (const path of readsOf.get(folder)!) lookup(SCHEMAS[folder], split(path), hits);
	}
	const unread = FIXTURE_FOLDERS.flatMap((folder) =>
		[...declared(SCHEMAS[folder])]
			.filter(([field]) => !hits.has(field))
			.map(([, path]) => `${folder}: ${path}`),
	);
	expect([...new Set(unread)].sort()).toEqual([]);
});
