/** Byte counts and byte rates in binary units (KiB, MiB, …), the way `free -h` and `df -h` show them. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
const DASH = "—";

/** `1536` → `1.5 KiB`; three significant digits above 1 KiB, whole bytes below. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  // Rounding may reach 1024 (1023.96 KiB): show it as the next unit instead.
  if (Number(value.toPrecision(3)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** `2048` → `2.00 KiB/s`. */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  const text = formatBytes(bytesPerSecond);
  return text === DASH ? DASH : `${text}/s`;
}
