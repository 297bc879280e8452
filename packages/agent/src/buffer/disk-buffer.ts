/** The agent's disk buffer: samples the hub has not acknowledged yet, in checksummed records on append-only segment files that survive restarts. */
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { BatchSample } from "@statusmonitor/protocol";
import { readHead, writeHead, type Head } from "./head-file.js";
import { decodePayload, encodeRecord, RECORD_HEADER_BYTES, recordLengthAt, scanSegment } from "./record-format.js";

export interface BufferStats {
  /** Samples not yet consumed. */
  samples: number;
  /** Bytes of segment files on disk. */
  bytes: number;
  /** Samples removed unsent because the buffer was over its cap. */
  dropped: number;
  /** Damaged records skipped. */
  corrupt: number;
}

export interface DiskBufferOptions {
  /** Most bytes kept on disk; whole oldest segments are dropped beyond it. */
  capBytes?: number;
  /** Size at which a new segment file is started (at most half the cap). */
  segmentBytes?: number;
}

export const DEFAULT_CAP_BYTES = 64 * 1024 * 1024;
export const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

/** What the buffer knows about one segment file: its good records and where damage starts. */
interface Segment {
  id: number;
  size: number;
  offsets: number[];
  lengths: number[];
  bad: number[];
}

interface Position {
  segment: number;
  offset: number;
}

const SEGMENT_NAME = /^(\d{8,})\.seg$/;
const segmentName = (id: number) => `${String(id).padStart(8, "0")}.seg`;

/**
 * Records are `[u32 length][u32 crc32][tagged deflated JSON]` (record-format.ts) in files
 * `00000001.seg`, `00000002.seg`, …; `head.json` says where the oldest unconsumed record is.
 * The head is always in the first segment: segments behind it are deleted. Damage (a bad
 * checksum, a torn tail after a crash, a stranger's file) is skipped and counted, never thrown.
 */
export class DiskBuffer {
  /** Byte offset of the head in the first segment, and the index of the first unconsumed good record there. */
  private headOffset = 0;
  private headIndex = 0;
  private samples = 0;
  private bytes = 0;
  /** Damaged stretches the head has passed (persisted), and those still ahead of it (found again by every open). */
  private corruptPassed: number;
  private badAhead = 0;
  private dropped: number;
  private appendFile: FileHandle | undefined;
  /** Whether new records may follow the last segment's bytes: false after damage at its end or a failed write. */
  private lastIsAppendable: boolean;
  private lastPeek: Position[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly capBytes: number,
    private readonly segmentBytes: number,
    private readonly segments: Segment[],
    private nextId: number,
    start: Head,
    lastCleanTail: boolean,
  ) {
    this.dropped = start.dropped;
    this.corruptPassed = start.corrupt;
    this.lastIsAppendable = lastCleanTail;
    const first = segments[0];
    if (first && first.id === start.segment) this.headOffset = Math.min(start.offset, first.size);
    for (const [i, segment] of segments.entries()) {
      const from = i === 0 ? this.headOffset : 0;
      const firstUnconsumed = segment.offsets.findIndex((offset) => offset >= from);
      const index = firstUnconsumed === -1 ? segment.offsets.length : firstUnconsumed;
      if (i === 0) this.headIndex = index;
      this.samples += segment.offsets.length - index;
      this.badAhead += countFrom(segment.bad, from);
      this.bytes += segment.size;
    }
  }

  /** Opens (creating it, mode 0700) the buffer in `dir` and rebuilds its counts from the files. */
  static async open(dir: string, options: DiskBufferOptions = {}): Promise<DiskBuffer> {
    const capBytes = options.capBytes ?? DEFAULT_CAP_BYTES;
    // Dropping whole segments keeps the total under the cap only if a segment is well under it.
    const segmentBytes = Math.max(1, Math.min(options.segmentBytes ?? DEFAULT_SEGMENT_BYTES, Math.floor(capBytes / 2)));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ids = (await readdir(dir))
      .flatMap((name) => {
        const match = SEGMENT_NAME.exec(name);
        return match ? [Number(match[1])] : [];
      })
      .sort((a, b) => a - b);
    const saved = await readHead(dir);
    const start = startingPoint(saved, ids);
    // Segments behind the head were consumed; a crash between writing the head and deleting them leaves them behind.
    for (const id of ids.filter((id) => id < start.segment)) await unlinkQuietly(path.join(dir, segmentName(id)));

    const segments: Segment[] = [];
    let lastCleanTail = true;
    for (const id of ids.filter((id) => id >= start.segment)) {
      const bytes = await readSegment(path.join(dir, segmentName(id)));
      if (!bytes) continue;
      const { offsets, lengths, bad, cleanTail } = scanSegment(bytes);
      segments.push({ id, size: bytes.length, offsets, lengths, bad });
      lastCleanTail = cleanTail;
    }
    const nextId = Math.max(start.segment, (ids.at(-1) ?? 0) + 1);
    const buffer = new DiskBuffer(dir, capBytes, segmentBytes, segments, nextId, start, lastCleanTail);
    const released = buffer.releaseConsumed();
    if (released.length > 0 || JSON.stringify(saved) !== JSON.stringify(buffer.head())) await buffer.commit(released);
    return buffer;
  }

  /** Appends samples durably (written and fsynced before it resolves), dropping the oldest records when over the cap (counted in `dropped`). */
  append(samples: BatchSample[]): Promise<void> {
    return this.exclusive(async () => {
      if (samples.length === 0) return;
      const records = samples.map(encodeRecord);
      const chunk = Buffer.concat(records);
      let last = this.segments.at(-1);
      if (!last || !this.lastIsAppendable || (last.size > 0 && last.size + chunk.length > this.segmentBytes)) last = await this.startSegment();
      try {
        this.appendFile ??= await open(this.segmentPath(last.id), "a", 0o600);
        await writeAll(this.appendFile, chunk);
        await this.appendFile.datasync();
      } catch (err) {
        // Part of the chunk may be on disk: never append after it (the next open skips it as damage).
        this.lastIsAppendable = false;
        await this.closeAppendFile();
        throw err;
      }
      let offset = last.size;
      for (const record of records) {
        last.offsets.push(offset);
        last.lengths.push(record.length - RECORD_HEADER_BYTES);
        offset += record.length;
      }
      last.size = offset;
      this.bytes += chunk.length;
      this.samples += samples.length;
      await this.enforceCap();
    });
  }

  /** The oldest samples still buffered, at most `max`, in append order (corrupt records skipped and counted). */
  peek(max: number): Promise<BatchSample[]> {
    return this.exclusive(async () => {
      const found: BatchSample[] = [];
      const positions: Position[] = [];
      let segmentIndex = 0;
      let index = this.headIndex;
      while (found.length < max && segmentIndex < this.segments.length) {
        const segment = this.segments[segmentIndex]!;
        if (index >= segment.offsets.length) {
          segmentIndex += 1;
          index = 0;
          continue;
        }
        const last = index + Math.min(max - found.length, segment.offsets.length - index) - 1;
        const from = segment.offsets[index]!;
        const to = segment.offsets[last]! + RECORD_HEADER_BYTES + segment.lengths[last]!;
        const bytes = await this.readRange(segment.id, from, to - from);
        const damaged: number[] = [];
        for (let i = index; i <= last; i++) {
          const at = segment.offsets[i]! - from;
          const length = segment.lengths[i]!;
          // Checked again: the file may have been damaged since it was scanned.
          const sample = recordLengthAt(bytes, at) === length ? decodePayload(bytes.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length)) : undefined;
          if (sample) {
            found.push(sample);
            positions.push({ segment: segment.id, offset: segment.offsets[i]! });
          } else damaged.push(i);
        }
        for (const i of damaged.reverse()) this.markDamaged(segment, i);
        index = last + 1 - damaged.length;
      }
      this.lastPeek = positions;
      return found;
    });
  }

  /**
   * Removes the oldest `count` samples (the ones the last `peek` returned and the hub acknowledged).
   * If the cap dropped some of those in the meantime, it stops at the last one the peek returned,
   * so a sample that was never sent is never removed.
   */
  shift(count: number): Promise<void> {
    return this.exclusive(async () => {
      const peeked = this.lastPeek;
      this.lastPeek = [];
      if (!(count > 0)) return;
      const until = count <= peeked.length ? peeked[count - 1] : undefined;
      let remaining = Math.floor(count);
      let moved = false;
      const released: number[] = [];
      while (remaining > 0 && this.samples > 0) {
        const first = this.segments[0]!;
        if (this.headIndex >= first.offsets.length) {
          if (this.segments.length === 1) break;
          released.push(this.removeOldest().id);
          continue;
        }
        const offset = first.offsets[this.headIndex]!;
        if (until && (first.id > until.segment || (first.id === until.segment && offset > until.offset))) break;
        this.moveHead(first, offset + RECORD_HEADER_BYTES + first.lengths[this.headIndex]!);
        this.headIndex += 1;
        this.samples -= 1;
        remaining -= 1;
        moved = true;
      }
      released.push(...this.releaseConsumed());
      if (moved || released.length > 0) await this.commit(released);
    });
  }

  stats(): BufferStats {
    return { samples: this.samples, bytes: this.bytes, dropped: this.dropped, corrupt: this.corruptPassed + this.badAhead };
  }

  /** Waits for the operation in flight and releases the file; closing twice is harmless. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      await this.closeAppendFile();
    }, true);
  }

  /** Runs operations one at a time: the runtime may append while a back-fill peeks or shifts. */
  private exclusive<T>(work: () => Promise<T>, evenWhenClosed = false): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed && !evenWhenClosed) throw new Error("the disk buffer is closed");
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private head(): Head {
    return { segment: this.segments[0]?.id ?? this.nextId, offset: this.headOffset, dropped: this.dropped, corrupt: this.corruptPassed };
  }

  /** Persists the head, then deletes the released segments (a crash in between leaves files the next open deletes). */
  private async commit(released: number[]): Promise<void> {
    await writeHead(this.dir, this.head());
    for (const id of released) await unlinkQuietly(this.segmentPath(id));
  }

  private async startSegment(): Promise<Segment> {
    await this.closeAppendFile();
    const segment: Segment = { id: this.nextId++, size: 0, offsets: [], lengths: [], bad: [] };
    this.appendFile = await open(this.segmentPath(segment.id), "ax", 0o600);
    // The new name must survive a power cut as surely as the records fsynced into it.
    await syncDirectory(this.dir);
    this.segments.push(segment);
    this.lastIsAppendable = true;
    const released = this.releaseConsumed();
    if (released.length > 0) await this.commit(released);
    return segment;
  }

  /** Drops whole oldest segments while over the cap; what they still held counts as dropped. */
  private async enforceCap(): Promise<void> {
    const released: number[] = [];
    while (this.bytes > this.capBytes && this.segments.length > 1) released.push(this.removeOldest().id);
    if (released.length > 0) await this.commit(released);
  }

  /** Removes fully consumed segments from the front, keeping the last one (appends go there). */
  private releaseConsumed(): number[] {
    const released: number[] = [];
    while (this.segments.length > 1 && this.headIndex >= this.segments[0]!.offsets.length) released.push(this.removeOldest().id);
    return released;
  }

  /** Forgets the first segment (in memory): its unconsumed samples count as dropped, its damage ahead of the head as passed. */
  private removeOldest(): Segment {
    const segment = this.segments.shift()!;
    const unconsumed = segment.offsets.length - this.headIndex;
    this.samples -= unconsumed;
    this.dropped += unconsumed;
    this.moveHead(segment, Infinity);
    this.bytes -= segment.size;
    this.headOffset = 0;
    this.headIndex = 0;
    return segment;
  }

  /** Moves the head forward within the first segment, counting the damage it passes. */
  private moveHead(segment: Segment, offset: number): void {
    const passed = countFrom(segment.bad, this.headOffset) - countFrom(segment.bad, offset);
    this.corruptPassed += passed;
    this.badAhead -= passed;
    if (Number.isFinite(offset)) this.headOffset = offset;
  }

  /** A record that passed the scan but not a later read: skipped from now on, counted as corrupt. */
  private markDamaged(segment: Segment, index: number): void {
    const [offset] = segment.offsets.splice(index, 1);
    segment.lengths.splice(index, 1);
    const at = segment.bad.findIndex((bad) => bad > offset!);
    segment.bad.splice(at === -1 ? segment.bad.length : at, 0, offset!);
    this.samples -= 1;
    this.badAhead += 1;
  }

  /** Bytes of a segment; a file that vanished reads as empty (its records then count as damaged). */
  private async readRange(id: number, position: number, length: number): Promise<Buffer> {
    let file: FileHandle;
    try {
      file = await open(this.segmentPath(id), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
      throw err;
    }
    try {
      const bytes = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await file.read(bytes, filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    } finally {
      await file.close();
    }
  }

  private async closeAppendFile(): Promise<void> {
    const file = this.appendFile;
    this.appendFile = undefined;
    await file?.close().catch(() => undefined);
  }

  private segmentPath(id: number): string {
    return path.join(this.dir, segmentName(id));
  }
}

/** Where reading starts: the saved head if its segment exists, else (no head, a damaged one, or one naming a missing segment) the oldest segment. */
function startingPoint(saved: Head | undefined, ids: number[]): Head {
  const counters = { dropped: saved?.dropped ?? 0, corrupt: saved?.corrupt ?? 0 };
  if (saved && ids.includes(saved.segment)) return saved;
  if (saved && ids.length === 0) return { segment: Math.max(1, saved.segment), offset: 0, ...counters };
  // Starting over from the oldest may resend what the hub already has; it drops duplicates, and nothing is lost.
  return { segment: ids[0] ?? 1, offset: 0, ...counters };
}

/** How many of the ascending `offsets` are at or after `from`. */
function countFrom(offsets: number[], from: number): number {
  let count = 0;
  for (let i = offsets.length - 1; i >= 0 && offsets[i]! >= from; i--) count += 1;
  return count;
}

async function readSegment(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    // Not readable as a file (a directory of that name, no permission): not ours to use or delete.
    return undefined;
  }
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += (await file.write(bytes, written, bytes.length - written)).bytesWritten;
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory for syncing; its file system orders the metadata itself.
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}
