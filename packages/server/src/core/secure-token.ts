/** Random secrets, their SHA-256 digests and constant-time comparison. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `prefix` + base64url of `bytes` random bytes (32 bytes = 256 bits). */
export function randomToken(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Compares two strings without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
