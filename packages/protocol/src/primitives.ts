/** Small reusable zod building blocks: bounded numbers, percentages and short strings. */
import { z } from "zod";
import { MAX_COUNTER, MAX_MEASUREMENT } from "./limits.js";

/** A finite percentage. Slightly above 100 is tolerated because OS counters race. */
export const percent = z.number().min(0).max(100.5);
/** A non-negative byte count or counter that fits exactly in a double. */
export const counter = z.number().min(0).max(MAX_COUNTER);
/** A non-negative finite measurement (MHz, load, rates). */
export const nonNegative = z.number().min(0).max(MAX_MEASUREMENT);
export const shortText = (max = 256) => z.string().max(max);
/** Epoch milliseconds, integer. */
export const epochMs = z.number().int().min(0).max(8.64e15);
/** An RFC 3339 date-time with an explicit offset (we always emit `Z`). */
export const isoDateTime = z.string().datetime({ offset: true });
export const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
