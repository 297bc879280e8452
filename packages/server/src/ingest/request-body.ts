/**
 * Reads ingest bodies: plain or gzip-compressed JSON, at most MAX_BODY_BYTES on the wire and
 * MAX_DECOMPRESSED_BODY_BYTES once decompressed, so a gzip bomb is cut off early.
 */
import { Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import type { preParsingAsyncHookHandler } from "fastify";
import { MAX_BODY_BYTES, MAX_DECOMPRESSED_BODY_BYTES } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";

/** Passes bytes through until `limit` is exceeded, then fails with PAYLOAD_TOO_LARGE. */
class ByteLimit extends Transform {
  received = 0;
  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) return done(new AppError("PAYLOAD_TOO_LARGE", `The ${this.what} is larger than ${this.limit} bytes.`));
    done(null, chunk);
  }
}

export const decodeIngestBody: preParsingAsyncHookHandler = async (request, _reply, payload) => {
  const encoding = (request.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  // Node's HTTP parser never reads past Content-Length, so a plain body of a declared, allowed length
  // needs no counting (the common case: every original agent); chunked bodies still go through ByteLimit.
  if (encoding === "identity" && request.headers["content-length"] !== undefined && Number.isInteger(declared)) return payload;
  const wire = new ByteLimit(MAX_BODY_BYTES, "request body");
  payload.on("error", (err) => wire.destroy(err));
  payload.pipe(wire);
  if (encoding === "identity") return wire;
  if (encoding !== "gzip") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Content-Encoding must be gzip or identity.");

  const gunzip = createGunzip();
  const decompressed = new ByteLimit(MAX_DECOMPRESSED_BODY_BYTES, "decompressed body");
  wire.on("error", (err) => decompressed.destroy(err));
  gunzip.on("error", () => decompressed.destroy(new AppError("VALIDATION_FAILED", "The gzip body is corrupt or truncated.")));
  wire.pipe(gunzip).pipe(decompressed);
  // Fastify checks Content-Length against what was received on the wire, not the decompressed size.
  Object.defineProperty(decompressed, "receivedEncodedLength", { get: () => wire.received });
  return decompressed;
};
