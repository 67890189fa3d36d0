/** Plain-text tables for the terminal: left-aligned first column, right-aligned numbers. */

export type Cell = string | number | null | undefined;

export function fmt(value: Cell, digits = 1): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  return value;
}

/** `align` per column, `l` or `r`; default: first column left, the rest right. */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[], align?: string): string {
  const text = [header, ...rows.map((r) => r.map((c) => fmt(c)))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => (align ? align[i] === 'l' : i === 0);
  const line = (r: readonly string[]) =>
    r.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(text[0]!), line(widths.map((w) => '-'.repeat(w))), ...text.slice(1).map(line)].map((l) => `  ${l}`).join('\n');
}
