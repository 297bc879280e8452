/** The shape every collector shares: read the machine, given what the previous call left, and return the wire value. */
import type { SystemSource } from "./source.js";

export interface Collected<State, Value> {
  /** What the next call needs: counters for deltas, facts read once, discovery caches. */
  state: State;
  /** The wire shape, or undefined when the machine cannot tell (absent, never zero). */
  value: Value | undefined;
}

export type Collector<State, Value> = (
  source: SystemSource,
  prev: State | undefined,
  now: number,
) => Promise<Collected<State, Value>>;

/** `part / whole` as a percentage with two decimals, or undefined when `whole` is not positive. */
export function percentOf(part: number, whole: number): number | undefined {
  if (!(whole > 0)) return undefined;
  return Math.round((part / whole) * 10_000) / 100;
}

/** Drops absent keys, so the wire JSON and test expectations hold only what was measured. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
