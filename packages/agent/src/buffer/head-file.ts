/** The buffer's head file: where the oldest unconsumed record is, and the loss counters, replaced atomically. */
import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";

export interface Head {
  /** Segment id and byte offset of the oldest record not yet consumed. */
  segment: number;
  offset: number;
  /** Samples removed unsent because the buffer was full. */
  dropped: number;
  /** Damaged records the head has moved past. */
  corrupt: number;
}

const FILE = "head.json";

/** The head as last written, or undefined when the file is missing or not a head (the caller starts from the oldest segment). */
export async function readHead(dir: string): Promise<Head | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const head = { segment: value.segment, offset: value.offset, dropped: value.dropped, corrupt: value.corrupt };
    return Object.values(head).every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ? (head as Head) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the head to a temp file, flushes it and renames it over the old one, so a crash leaves one or the other whole. */
export async function writeHead(dir: string, head: Head): Promise<void> {
  const target = path.join(dir, FILE);
  const temp = `${target}.tmp`;
  const file = await open(temp, "w", 0o600);
  try {
    await file.writeFile(JSON.stringify({ format: 1, ...head }));
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(temp, target);
}
