/** The 1, 5 and 15 minute load averages from /proc/loadavg. */

export function parseLoadavg(text: string): [number, number, number] | undefined {
  const values = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  return values as [number, number, number];
}
