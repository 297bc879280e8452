/** SecretBox round-trips, never repeats a ciphertext, and refuses other keys, other purposes and tampering. */
import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";

const KEY = "k".repeat(48);

describe("SecretBox", () => {
  it("opens what it sealed, including empty and non-ASCII text", () => {
    const box = new SecretBox(KEY, "webhook");
    for (const text of ["", "s3cret", "ключ 🔑", "x".repeat(256)]) expect(box.open(box.seal(text))).toBe(text);
  });

  it("seals the same secret differently each time and never contains it", () => {
    const box = new SecretBox(KEY, "webhook");
    const a = box.seal("hunter2-hunter2");
    expect(a).not.toBe(box.seal("hunter2-hunter2"));
    expect(a).not.toContain("hunter2");
  });

  it("refuses a value sealed under another key or for another purpose", () => {
    const sealed = new SecretBox(KEY, "webhook").seal("s3cret");
    expect(new SecretBox("o".repeat(48), "webhook").open(sealed)).toBeUndefined();
    expect(new SecretBox(KEY, "other").open(sealed)).toBeUndefined();
  });

  it("refuses altered or malformed values", () => {
    const box = new SecretBox(KEY, "webhook");
    const sealed = box.seal("s3cret");
    const body = sealed.split(".")[2]!;
    const flipped = `${body[0] === "A" ? "B" : "A"}${body.slice(1)}`;
    expect(box.open(sealed.replace(body, flipped))).toBeUndefined();
    for (const bad of ["", "v1", "v2.aaaa.bbbb", "v1..", "v1.AAAA.AAAA", "garbage.with.dots.too"]) expect(box.open(bad)).toBeUndefined();
  });
});
