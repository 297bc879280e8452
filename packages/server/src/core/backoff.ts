/** How long to wait before trying again (a rejected bus handler, a consumer that lost the broker). */

/** `firstMs` after the first failure, doubling per further failure, never more than `maxMs`. */
export function doublingDelay(attempt: number, firstMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(firstMs * 2 ** exponent, maxMs);
}
