/** Byte counts and byte rates in binary units (KiB, MiB, …), the way `free -h` and `df -h` show them. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
const DASH = "—";

/** Decimals for about three significant digits, chosen on the rounded value so `99.96` reads `100`, not `100.0`. */
const decimalsFor = (value: number) => (value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2);

/** `1536` → `1.50 KiB`; about three significant digits above 1 KiB, whole bytes below. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let text = unit === 0 ? String(Math.round(value)) : value.toFixed(decimalsFor(value));
  // Rounding may reach 1024 (1023.6 B, 1023.96 KiB): show it as the next unit instead.
  if (Number(text) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
    text = value.toFixed(decimalsFor(value));
  }
  // A tiny negative value that rounds to zero is shown as zero, not "-0 B".
  const sign = bytes < 0 && Number(text) !== 0 ? "-" : "";
  return `${sign}${text} ${UNITS[unit]}`;
}

/** `2048` → `2.00 KiB/s`. */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  const text = formatBytes(bytesPerSecond);
  return text === DASH ? DASH : `${text}/s`;
}
