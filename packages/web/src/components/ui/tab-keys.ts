/** The keyboard moves of the ARIA tabs pattern, kept pure so they can be tested without a DOM. */

/** Which tab a key selects from tab `index` of `count` (arrows wrap around), or null when the key is not a tab move. */
export function tabAfterKey(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
