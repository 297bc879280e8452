/**
 * The live window: the last minutes of samples as column arrays ready for uPlot (x in seconds, one
 * array per metric, null where a value is missing). Rows are unique per second and kept in time
 * order whatever order they arrive in; the common case — a newer sample — is an append.
 */
import { fillMissingRates, RATE_FROM_COUNTER, type Row } from "./sample-row";
import { counterRate } from "./counter-rate";

export type Column = (number | null)[];

/** Index of the first element of the ascending `xs` that is ≥ `value`. */
export function lowerBound(xs: readonly number[], value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SampleWindow {
  /** Row times in seconds (uPlot's time unit), ascending and unique. */
  x: number[] = [];
  private columns = new Map<string, Column>();

  /**
   * @param spanMs how much history to keep, measured back from the newest row.
   * @param slackMs rows past the span are dropped in batches this long, so trimming is not a
   *   shift of every array on every sample.
   */
  constructor(
    readonly spanMs: number,
    private readonly slackMs = 30_000,
  ) {}

  get length(): number {
    return this.x.length;
  }

  /** Newest row time, epoch ms. */
  get newest(): number | undefined {
    const last = this.x[this.x.length - 1];
    return last === undefined ? undefined : last * 1000;
  }

  get oldest(): number | undefined {
    const first = this.x[0];
    return first === undefined ? undefined : first * 1000;
  }

  has(key: string): boolean {
    return this.columns.has(key);
  }

  keys(): string[] {
    return [...this.columns.keys()];
  }

  /** The column for `key`; one that never had a value is created all-null so a chart can bind to it before data comes. */
  column(key: string): Column {
    let column = this.columns.get(key);
    if (!column) this.columns.set(key, (column = new Array<number | null>(this.x.length).fill(null)));
    return column;
  }

  /** The value of `key` in the newest row, or null. */
  last(key: string): number | null {
    return this.columns.get(key)?.[this.x.length - 1] ?? null;
  }

  /** The value of `key` at time `ms` (floored to the second), or null. */
  valueAt(key: string, ms: number): number | null {
    const sec = Math.floor(ms / 1000);
    const i = lowerBound(this.x, sec);
    return this.x[i] === sec ? (this.columns.get(key)?.[i] ?? null) : null;
  }

  /**
   * Time (ms) of the row just before the first hole at or after `fromMs`: consecutive rows further
   * apart than `maxGapMs`. A hole shortly after a reconnect is often data the hub had not stored yet.
   */
  firstGapAfter(fromMs: number, maxGapMs: number): number | undefined {
    const maxGapS = maxGapMs / 1000;
    for (let i = Math.max(0, lowerBound(this.x, fromMs / 1000) - 1); i + 1 < this.x.length; i++) {
      if (this.x[i + 1]! - this.x[i]! > maxGapS && this.x[i + 1]! * 1000 > fromMs) return this.x[i]! * 1000;
    }
    return undefined;
  }

  /** Adds or updates one row (a live sample). Returns false when the row is older than the window. */
  insert(row: Row): boolean {
    const sec = row.t / 1000;
    const n = this.x.length;
    const newest = this.newest;
    if (newest !== undefined && row.t < newest - this.spanMs) return false;
    let i: number;
    if (n === 0 || sec > this.x[n - 1]!) {
      i = n;
      this.x.push(sec);
      for (const [key, column] of this.columns) column.push(row.values[key] ?? null);
      this.addNewColumns(row.values, i);
    } else {
      i = lowerBound(this.x, sec);
      if (this.x[i] === sec) {
        for (const key in row.values) this.column(key)[i] = row.values[key]!;
      } else {
        this.x.splice(i, 0, sec);
        for (const [key, column] of this.columns) column.splice(i, 0, row.values[key] ?? null);
        this.addNewColumns(row.values, i);
      }
    }
    this.fillRatesAt(i);
    this.fillRatesAt(i + 1);
    this.trim();
    return true;
  }

  /**
   * Merges many rows at once (the history pre-fill, a gap fill after a reconnect). Where a row
   * already exists, its values win unless `overwrite` is set: the live sample is the richer copy.
   */
  merge(rows: readonly Row[], { overwrite = false }: { overwrite?: boolean } = {}): void {
    if (rows.length === 0) return;
    const byTime = new Map<number, Record<string, number>>();
    for (let i = 0; i < this.x.length; i++) {
      const values: Record<string, number> = {};
      for (const [key, column] of this.columns) {
        const value = column[i];
        if (value !== null && value !== undefined) values[key] = value;
      }
      byTime.set(this.x[i]! * 1000, values);
    }
    for (const row of rows) {
      const existing = byTime.get(row.t);
      if (!existing) byTime.set(row.t, { ...row.values });
      else byTime.set(row.t, overwrite ? { ...existing, ...row.values } : { ...row.values, ...existing });
    }
    const merged: Row[] = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => ({ t, values }));
    for (let i = 1; i < merged.length; i++) fillMissingRates(merged[i - 1], merged[i]!);
    const newest = merged[merged.length - 1]!.t;
    const kept = merged.filter((row) => row.t >= newest - this.spanMs);

    const keys = new Set(this.columns.keys());
    for (const row of kept) for (const key in row.values) keys.add(key);
    this.x = kept.map((row) => row.t / 1000);
    this.columns = new Map([...keys].map((key) => [key, kept.map((row) => row.values[key] ?? null)]));
  }

  clear(): void {
    this.x = [];
    this.columns = new Map();
  }

  private addNewColumns(values: Record<string, number>, index: number): void {
    for (const key in values) {
      if (this.columns.has(key)) continue;
      const column = new Array<number | null>(this.x.length).fill(null);
      column[index] = values[key]!;
      this.columns.set(key, column);
    }
  }

  /** Derives the missing rates of row `i` from the counters of row `i - 1`. */
  private fillRatesAt(i: number): void {
    if (i <= 0 || i >= this.x.length) return;
    for (const [rateKey, counterKey] of RATE_FROM_COUNTER) {
      const rates = this.columns.get(rateKey);
      if (rates && rates[i] !== null) continue;
      const counters = this.columns.get(counterKey);
      if (!counters) continue;
      const value = counterRate({ t: this.x[i - 1]! * 1000, v: counters[i - 1] }, { t: this.x[i]! * 1000, v: counters[i] });
      if (value !== undefined) this.column(rateKey)[i] = value;
    }
  }

  private trim(): void {
    const newest = this.newest;
    const oldest = this.oldest;
    if (newest === undefined || oldest === undefined || oldest >= newest - this.spanMs - this.slackMs) return;
    const drop = lowerBound(this.x, (newest - this.spanMs) / 1000);
    this.x.splice(0, drop);
    for (const column of this.columns.values()) column.splice(0, drop);
  }
}
