/** What users type into node parameters, read the same way by every node. */

/** Splits a comma- or newline-separated field into trimmed, non-empty values. */
export const splitList = (value: string | undefined): string[] =>
	(value ?? '')
		.split(/[,\n]/)
		.map((part) => part.trim())
		.filter(Boolean);

/** Whether a parameter value holds an n8n expression anywhere (a string starting with `=`). */
export function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

/** A URL as typed, without surrounding spaces and trailing slashes, ready for a path to follow. */
export const withoutTrailingSlash = (url: string): string => url.trim().replace(/\/+$/, '');
