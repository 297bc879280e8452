/** The benchmarks' console tables: numbers with fixed digits, the first column left-aligned and the rest right-aligned. */

/** `value` with `digits` decimals, or "-" when it is not a finite number. */
export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

export function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
