/** What the benchmarks share: the median of their samples and their right-aligned tables. */

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Prints rows as a table indented by two spaces: the first column left-aligned, the others
 * right-aligned, a line of dashes under the header (the first row).
 */
export function printTable(rows: string[][]): void {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	rows.forEach((row, index) => {
		const cells = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])));
		console.log(`  ${cells.join('  ')}`);
		if (index === 0) console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
	});
}
