/** Bit-level encoding of one chunk column: the shared time column, and value columns as constant, scaled integers (delta or delta-of-delta) or Gorilla XOR, behind an optional presence bitmap. */
import { bitLength, BitReader, BitWriter, unzigzag, zigzag } from "./bits.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TWO_POW_31 = 2147483648;

// ---------------------------------------------------------------------------------------------
// Time column: the first timestamp in full, then delta-of-delta zigzag in buckets.
//   0 → dod 0 | 10 + 7 bits | 110 + 9 bits | 1110 + 12 bits | 11110 + 32 bits | 11111 + full timestamp
// ---------------------------------------------------------------------------------------------

/** Bucket of the time column by its next five bits: index into TIME_PREFIX_BITS and TIME_VALUE_BITS. */
const TIME_BUCKET_BY_PREFIX = Uint8Array.from({ length: 32 }, (_, bits) => Math.min(Math.clz32(~(bits << 27)), 5));
const TIME_PREFIX_BITS = [1, 2, 3, 4, 5, 5];
const TIME_VALUE_BITS = [0, 7, 9, 12, 32];
const TIME_ESCAPE = 5;

export function encodeTimes(out: BitWriter, times: readonly number[]): void {
  if (times.length === 0) return;
  let previous = times[0]!;
  writeTimestamp(out, previous);
  let previousDelta = 0;
  for (let row = 1; row < times.length; row++) {
    const time = times[row]!;
    const delta = time - previous;
    const deltaIsExact = Math.abs(delta) <= MAX_SAFE;
    const dod = delta - previousDelta;
    if (deltaIsExact && Math.abs(dod) < TWO_POW_31 && !isNegativeZero(time)) writeTimeDod(out, zigzag(dod));
    else {
      out.write(0b11111, 5);
      writeTimestamp(out, time);
    }
    // A gap beyond 2^53 is not exact in a float; the decoder makes the same choice from the same numbers.
    previousDelta = deltaIsExact ? delta : 0;
    previous = time;
  }
}

function writeTimeDod(out: BitWriter, zigzagDod: number): void {
  if (zigzagDod === 0) out.write(0, 1);
  else if (zigzagDod < 1 << 7) out.write((0b10 << 7) | zigzagDod, 9);
  else if (zigzagDod < 1 << 9) out.write((0b110 << 9) | zigzagDod, 12);
  else if (zigzagDod < 1 << 12) out.write((0b1110 << 12) | zigzagDod, 16);
  else {
    out.write(0b11110, 5);
    out.write(zigzagDod, 32);
  }
}

/** A safe integer as a sign bit and a 53-bit magnitude (so -0 survives too). */
function writeTimestamp(out: BitWriter, time: number): void {
  out.write(time < 0 || isNegativeZero(time) ? 1 : 0, 1);
  out.writeWide(Math.abs(time), 53);
}

function readTimestamp(input: BitReader): number {
  const negative = input.read(1) === 1;
  const magnitude = input.readWide(53);
  return negative ? -magnitude : magnitude;
}

export function decodeTimes(input: BitReader, rowCount: number): number[] {
  const times: number[] = [];
  if (rowCount === 0) return times;
  let previous = readTimestamp(input);
  times.push(previous);
  let previousDelta = 0;
  for (let row = 1; row < rowCount; row++) {
    const bucket = TIME_BUCKET_BY_PREFIX[input.peek(5)]!;
    input.skip(TIME_PREFIX_BITS[bucket]!);
    let time: number;
    let delta: number;
    if (bucket === TIME_ESCAPE) {
      time = readTimestamp(input);
      delta = time - previous;
      if (Math.abs(delta) > MAX_SAFE) delta = 0;
    } else {
      delta = previousDelta + unzigzag(input.read(TIME_VALUE_BITS[bucket]!));
      time = previous + delta;
    }
    times.push(time);
    previous = time;
    previousDelta = delta;
  }
  return times;
}

function isNegativeZero(value: number): boolean {
  return value === 0 && 1 / value < 0;
}

// ---------------------------------------------------------------------------------------------
// Value columns: 2 bits presence, [bitmap], 2 bits mode, then the mode's stream of present values.
// ---------------------------------------------------------------------------------------------

const PRESENT_IN_EVERY_ROW = 0;
const PRESENCE_BITMAP = 1;
const PRESENT_IN_NO_ROW = 2;

/** How a value column stores its present values; the 2 bits after the presence field. */
export const ValueMode = { constant: 0, delta: 1, deltaOfDelta: 2, xor: 3 } as const;
const MODE_CONSTANT = ValueMode.constant;
const MODE_DELTA = ValueMode.delta;
const MODE_DELTA_OF_DELTA = ValueMode.deltaOfDelta;
const MODE_XOR = ValueMode.xor;

const POWERS_OF_TEN = [1, 10, 100, 1000, 10000];
const MAX_DECIMALS = 4;
const MAX_SCALED = 2 ** 48;

/** What one pass over a column learns: how many values are present, and which mode they allow. */
interface ColumnSurvey {
  presentCount: number;
  first: number;
  isConstant: boolean;
  /** Decimals of the scaled-integer mode, or -1 when some value does not allow it. */
  decimals: number;
}

/** Writes a column; throws a RangeError naming the row of a value that is neither a number nor undefined. */
export function encodeValueColumn(out: BitWriter, values: readonly (number | undefined)[]): void {
  const survey = surveyColumn(values);
  if (survey.presentCount === 0) {
    out.write(PRESENT_IN_NO_ROW, 2);
    return;
  }
  if (survey.presentCount === values.length) out.write(PRESENT_IN_EVERY_ROW, 2);
  else writePresenceBitmap(out, values);

  if (survey.isConstant) {
    out.write(MODE_CONSTANT, 2);
    writeFloatBits(out, survey.first);
  } else if (survey.decimals < 0 || !writeScaled(out, values, survey)) {
    out.write(MODE_XOR, 2);
    writeXor(out, values);
  }
}

function surveyColumn(values: readonly (number | undefined)[]): ColumnSurvey {
  let presentCount = 0;
  let first = 0;
  let isConstant = true;
  let decimals = 0;
  let largest = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (value === undefined) continue;
    if (typeof value !== "number") throw new RangeError(`row ${row}: value ${String(value)} is not a number`);
    if (presentCount === 0) first = value;
    else if (isConstant && !Object.is(value, first)) isConstant = false;
    presentCount++;
    if (decimals < 0) continue;
    decimals = decimalsOf(value, decimals);
    largest = Math.max(largest, Math.abs(value));
  }
  if (decimals >= 0 && !(Math.round(largest * POWERS_OF_TEN[decimals]!) <= MAX_SCALED)) decimals = -1;
  return { presentCount, first, isConstant: isConstant && !Number.isNaN(first), decimals };
}

/** The fewest decimals, at least `atLeast`, that represent `value` exactly as an integer over 10^d; -1 if none. */
function decimalsOf(value: number, atLeast: number): number {
  if (!Number.isFinite(value) || isNegativeZero(value)) return -1;
  for (let decimals = atLeast; decimals <= MAX_DECIMALS; decimals++) {
    const power = POWERS_OF_TEN[decimals]!;
    if (Math.round(value * power) / power === value) return decimals;
  }
  return -1;
}

function writePresenceBitmap(out: BitWriter, values: readonly (number | undefined)[]): void {
  out.write(PRESENCE_BITMAP, 2);
  let word = 0;
  let bits = 0;
  for (let row = 0; row < values.length; row++) {
    word = (word << 1) | (values[row] === undefined ? 0 : 1);
    if (++bits === 32) {
      out.write(word, 32);
      word = 0;
      bits = 0;
    }
  }
  out.write(word, bits);
}

// Scaled integers ----------------------------------------------------------------------------

/** Four buckets of zigzag values with prefixes 0, 10, 110, 111; their widths are chosen per column. */
const BUCKET_PREFIX = [0b0, 0b10, 0b110, 0b111];
const BUCKET_PREFIX_BITS = [1, 2, 3, 3];
const BUCKET_BY_PREFIX = [0, 0, 0, 0, 1, 1, 2, 3];
const WIDTH_FIELD_BITS = 6;

interface BucketPlan {
  widths: number[];
  /** Total bits of the stream of values after the first. */
  cost: number;
}

/** Writes the column as scaled integers; false (writing nothing) if a value does not scale back exactly. */
function writeScaled(out: BitWriter, values: readonly (number | undefined)[], survey: ColumnSurvey): boolean {
  const scaled = scaleValues(values, survey);
  if (scaled === undefined) return false;
  const deltaPlan = planBuckets(differenceHistogram(scaled, false), scaled.length - 1);
  const dodPlan = planBuckets(differenceHistogram(scaled, true), scaled.length - 1);
  const useDod = dodPlan.cost < deltaPlan.cost;
  const plan = useDod ? dodPlan : deltaPlan;

  out.write(useDod ? MODE_DELTA_OF_DELTA : MODE_DELTA, 2);
  out.write(survey.decimals, 3);
  for (const width of plan.widths) out.write(width, WIDTH_FIELD_BITS);
  const first = zigzag(scaled[0]!);
  const firstBits = bitLength(first);
  out.write(firstBits, WIDTH_FIELD_BITS);
  out.writeWide(first, firstBits);
  writeDifferences(out, scaled, useDod, plan.widths);
  return true;
}

function scaleValues(values: readonly (number | undefined)[], survey: ColumnSurvey): Float64Array | undefined {
  const power = POWERS_OF_TEN[survey.decimals]!;
  const scaled = new Float64Array(survey.presentCount);
  let index = 0;
  for (const value of values) {
    if (value === undefined) continue;
    const integer = Math.round(value * power);
    if (integer / power !== value) return undefined;
    scaled[index++] = integer;
  }
  return scaled;
}

/** Counts, per bit length, the zigzag deltas (or delta-of-deltas) between consecutive scaled values. */
function differenceHistogram(scaled: Float64Array, ofDeltas: boolean): Uint32Array {
  const histogram = new Uint32Array(54);
  let previous = scaled[0]!;
  let previousDelta = 0;
  for (let i = 1; i < scaled.length; i++) {
    const value = scaled[i]!;
    const delta = value - previous;
    histogram[bitLength(zigzag(ofDeltas ? delta - previousDelta : delta))]!++;
    previous = value;
    previousDelta = delta;
  }
  return histogram;
}

/** Picks the four bucket widths (among the bit lengths that occur) with the fewest total bits. */
function planBuckets(histogram: Uint32Array, total: number): BucketPlan {
  const lengths: number[] = [];
  const countUpTo: number[] = [];
  let running = 0;
  for (let length = 0; length < histogram.length; length++) {
    if (histogram[length] === 0) continue;
    running += histogram[length]!;
    lengths.push(length);
    countUpTo.push(running);
  }
  if (lengths.length === 0) return { widths: [0, 0, 0, 0], cost: 0 };
  const widest = lengths[lengths.length - 1]!;
  let best: BucketPlan = { widths: [widest, widest, widest, widest], cost: total * (1 + widest) };
  for (let a = 0; a < lengths.length; a++) {
    const costA = countUpTo[a]! * (1 + lengths[a]!);
    for (let b = a; b < lengths.length; b++) {
      const costAB = costA + (countUpTo[b]! - countUpTo[a]!) * (2 + lengths[b]!);
      if (costAB >= best.cost) continue;
      for (let c = b; c < lengths.length; c++) {
        const cost = costAB + (countUpTo[c]! - countUpTo[b]!) * (3 + lengths[c]!) + (total - countUpTo[c]!) * (3 + widest);
        if (cost < best.cost) best = { widths: [lengths[a]!, lengths[b]!, lengths[c]!, widest], cost };
      }
    }
  }
  return best;
}

function writeDifferences(out: BitWriter, scaled: Float64Array, ofDeltas: boolean, widths: number[]): void {
  const limits = widths.map((width) => 2 ** width);
  let previous = scaled[0]!;
  let previousDelta = 0;
  for (let i = 1; i < scaled.length; i++) {
    const value = scaled[i]!;
    const delta = value - previous;
    const z = zigzag(ofDeltas ? delta - previousDelta : delta);
    const bucket = z < limits[0]! ? 0 : z < limits[1]! ? 1 : z < limits[2]! ? 2 : 3;
    writePrefixed(out, bucket, z, widths[bucket]!, limits[bucket]!);
    previous = value;
    previousDelta = delta;
  }
}

/** Writes a bucket's prefix and the value in the bucket's width (`limit` is 2^width), in one write when they fit 32 bits. */
function writePrefixed(out: BitWriter, bucket: number, value: number, width: number, limit: number): void {
  const prefixBits = BUCKET_PREFIX_BITS[bucket]!;
  if (prefixBits + width <= 32) out.write(BUCKET_PREFIX[bucket]! * limit + value, prefixBits + width);
  else {
    out.write(BUCKET_PREFIX[bucket]!, prefixBits);
    out.writeWide(value, width);
  }
}

// XOR (Gorilla) ------------------------------------------------------------------------------

const float = new DataView(new ArrayBuffer(8));
/** A new window costs 12 bits of header; reuse the previous one unless it wastes more than that. */
const WINDOW_HEADER_BITS = 12;

function writeFloatBits(out: BitWriter, value: number): void {
  float.setFloat64(0, value);
  out.write(float.getUint32(0), 32);
  out.write(float.getUint32(4), 32);
}

/**
 * Each value after the first: 0 when its bits equal the previous value's; 10 + the XOR's bits inside
 * the previous window; 11 + 6 bits leading zeros + 6 bits (length − 1) + the XOR's meaningful bits.
 */
function writeXor(out: BitWriter, values: readonly (number | undefined)[]): void {
  let row = 0;
  while (values[row] === undefined) row++;
  float.setFloat64(0, values[row]!);
  let previousHigh = float.getUint32(0);
  let previousLow = float.getUint32(4);
  out.write(previousHigh, 32);
  out.write(previousLow, 32);
  let windowLeading = 64;
  let windowTrailing = 64;
  for (row++; row < values.length; row++) {
    const value = values[row];
    if (value === undefined) continue;
    float.setFloat64(0, value);
    const high = float.getUint32(0);
    const low = float.getUint32(4);
    const xorHigh = high ^ previousHigh;
    const xorLow = low ^ previousLow;
    previousHigh = high;
    previousLow = low;
    if ((xorHigh | xorLow) === 0) {
      out.write(0, 1);
      continue;
    }
    const leading = xorHigh !== 0 ? Math.clz32(xorHigh) : 32 + Math.clz32(xorLow);
    const trailing = xorLow !== 0 ? trailingZeros(xorLow) : 32 + trailingZeros(xorHigh);
    const meaningful = 64 - leading - trailing;
    const windowSize = 64 - windowLeading - windowTrailing;
    if (leading >= windowLeading && trailing >= windowTrailing && windowSize <= meaningful + WINDOW_HEADER_BITS) {
      out.write(0b10, 2);
      writeShiftedRight(out, xorHigh, xorLow, windowTrailing, windowSize);
    } else {
      out.write(0b11, 2);
      out.write(leading, 6);
      out.write(meaningful - 1, 6);
      writeShiftedRight(out, xorHigh, xorLow, trailing, meaningful);
      windowLeading = leading;
      windowTrailing = trailing;
    }
  }
}

function trailingZeros(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/** Writes the low `count` bits of the 64-bit number high:low shifted right by `shift`. */
function writeShiftedRight(out: BitWriter, high: number, low: number, shift: number, count: number): void {
  if (shift >= 32) {
    low = high >>> (shift - 32);
    high = 0;
  } else if (shift > 0) {
    low = (low >>> shift) | (high << (32 - shift));
    high = high >>> shift;
  }
  if (count > 32) {
    out.write(high, count - 32);
    out.write(low, 32);
  } else out.write(low, count);
}

// Decoding ------------------------------------------------------------------------------------

/** Reads a column of `rowCount` rows; absent rows are `undefined`. */
export function decodeValueColumn(input: BitReader, rowCount: number): (number | undefined)[] {
  const presence = input.read(2);
  if (presence === PRESENT_IN_NO_ROW) return new Array<undefined>(rowCount).fill(undefined);
  const present = presence === PRESENCE_BITMAP ? readPresenceBitmap(input, rowCount) : undefined;
  const presentCount = present === undefined ? rowCount : countPresent(present);
  const mode = input.read(2);
  // XOR values go to an array of boxed numbers from the start: V8 may quieten a NaN stored in a
  // double array, and this mode is the one that carries NaN payloads.
  const values: (number | undefined)[] = mode === MODE_XOR ? new Array<undefined>(presentCount).fill(undefined) : [];
  if (mode === MODE_CONSTANT) readConstant(input, presentCount, values);
  else if (mode === MODE_XOR) readXor(input, presentCount, values);
  else readScaled(input, presentCount, mode === MODE_DELTA_OF_DELTA, values);
  return present === undefined ? values : spreadOverRows(values, present);
}

function readPresenceBitmap(input: BitReader, rowCount: number): Uint8Array {
  const present = new Uint8Array(rowCount);
  for (let row = 0; row < rowCount; row += 32) {
    const bits = Math.min(32, rowCount - row);
    const word = input.read(bits);
    for (let bit = 0; bit < bits; bit++) present[row + bit] = (word >>> (bits - 1 - bit)) & 1;
  }
  return present;
}

function countPresent(present: Uint8Array): number {
  let count = 0;
  for (const flag of present) count += flag;
  return count;
}

function spreadOverRows(values: (number | undefined)[], present: Uint8Array): (number | undefined)[] {
  const rows: (number | undefined)[] = new Array<undefined>(present.length).fill(undefined);
  let next = 0;
  for (let row = 0; row < present.length; row++) if (present[row] === 1) rows[row] = values[next++];
  return rows;
}

function readConstant(input: BitReader, count: number, values: (number | undefined)[]): void {
  const value = floatOf(input.read(32), input.read(32));
  for (let i = 0; i < count; i++) values.push(value);
}

function readScaled(input: BitReader, count: number, ofDeltas: boolean, values: (number | undefined)[]): void {
  const power = POWERS_OF_TEN[input.read(3)];
  if (power === undefined) throw new RangeError("corrupt chunk: scaled column with more than 4 decimals");
  const widths = [0, 0, 0, 0].map(() => readWidth(input));
  let scaled = unzigzag(input.readWide(readWidth(input)));
  values.push(scaled / power);
  let delta = 0;
  for (let i = 1; i < count; i++) {
    // Prefix and value with one peek when they fit in 32 bits, as the writer wrote them (the hot path of long reads).
    const word = input.peek(32);
    const bucket = BUCKET_BY_PREFIX[word >>> 29]!;
    const prefixBits = BUCKET_PREFIX_BITS[bucket]!;
    const width = widths[bucket]!;
    let difference: number;
    if (prefixBits + width <= 32) {
      const zigzagged = width === 0 ? 0 : (word << prefixBits) >>> (32 - width);
      // unzigzag for a value below 2^32, in integer arithmetic.
      difference = (zigzagged >>> 1) ^ -(zigzagged & 1);
      input.skip(prefixBits + width);
    } else {
      input.skip(prefixBits);
      difference = unzigzag(input.readWide(width));
    }
    delta = ofDeltas ? delta + difference : difference;
    scaled += delta;
    values.push(scaled / power);
  }
}

function readWidth(input: BitReader): number {
  const width = input.read(WIDTH_FIELD_BITS);
  if (width > 53) throw new RangeError(`corrupt chunk: a ${width}-bit integer`);
  return width;
}

function readXor(input: BitReader, count: number, values: (number | undefined)[]): void {
  let high = input.read(32);
  let low = input.read(32);
  values[0] = floatOf(high, low);
  let windowLeading = 0;
  let windowSize = 64;
  for (let i = 1; i < count; i++) {
    if (input.read(1) === 1) {
      if (input.read(1) === 1) {
        windowLeading = input.read(6);
        windowSize = input.read(6) + 1;
        if (windowLeading + windowSize > 64) throw new RangeError("corrupt chunk: XOR window past 64 bits");
      }
      const trailing = 64 - windowLeading - windowSize;
      const xorHigh = windowSize > 32 ? input.read(windowSize - 32) : 0;
      const xorLow = input.read(Math.min(windowSize, 32));
      if (trailing >= 32) {
        high ^= xorLow << (trailing - 32);
      } else if (trailing > 0) {
        high ^= (xorHigh << trailing) | (xorLow >>> (32 - trailing));
        low ^= xorLow << trailing;
      } else {
        high ^= xorHigh;
        low ^= xorLow;
      }
    }
    values[i] = floatOf(high, low);
  }
}

function floatOf(high: number, low: number): number {
  float.setUint32(0, high);
  float.setUint32(4, low);
  return float.getFloat64(0);
}
