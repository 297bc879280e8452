/** Size and range limits shared by every validator of incoming data. */

/** Largest request body the hub reads, compressed or not. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest body after gzip decompression (a cap on gzip bombs). */
export const MAX_DECOMPRESSED_BODY_BYTES = 8 * 1024 * 1024;
/** Most samples accepted in one batch. */
export const MAX_SAMPLES_PER_BATCH = 1000;
export const MAX_CORES = 1024;
export const MAX_DISKS = 256;
export const MAX_INTERFACES = 256;
export const MAX_TEMPERATURES = 256;
/** Largest counter or byte size accepted: 2^53, beyond which numbers lose precision. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;
/** Largest measurement or derived rate accepted (1 PB/s): anything above is a glitch, not a reading. */
export const MAX_MEASUREMENT = 1e15;
/** Earliest sample timestamp accepted (2000-01-01T00:00:00Z), in ms. */
export const MIN_SAMPLE_TIME_MS = 946_684_800_000;
/** How far in the future (agent clock ahead of the hub) a sample may be stamped. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;
/** How far in the past a sample may be stamped: the longest history retention. */
export const MAX_SAMPLE_AGE_MS = 366 * 24 * 3600 * 1000;
