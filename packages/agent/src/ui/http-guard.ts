/**
 * What keeps the settings page to its user: the per-launch secret in the path (compared in
 * constant time), the Host check against DNS rebinding, the Origin check against cross-site
 * requests, a body size limit, and the response headers (CSP, no caching, no referrer).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 64 * 1024;

export function newSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
export function secretMatches(candidate: string, secret: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(candidate), digest(secret));
}

/**
 * The path after the secret (`/api/status`, `/`), or undefined when the request does not start
 * with the secret. `/<secret>` alone gives "" (the caller redirects to the page).
 */
export function pathAfterSecret(url: string, secret: string): string | undefined {
  const pathname = url.split("?", 1)[0]!;
  const match = /^\/([^/]*)(\/.*)?$/.exec(pathname);
  if (!match || !secretMatches(match[1]!, secret)) return undefined;
  return match[2] ?? "";
}

/** The hosts the page is served as: a rebinding attack's own host name is refused. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).includes((req.headers.host ?? "").toLowerCase());
}

/** A state-changing request from another origin (a page the user happens to visit) is refused; no Origin (curl) is fine. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  // The secret is in the URL: it must never travel in a Referer header.
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...COMMON_HEADERS, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: { code, message, ...extra } });
}

/** The page, with a CSP that allows only its own inline script and style (by nonce) and requests to itself. */
export function sendPage(res: ServerResponse, render: (nonce: string) => string): void {
  const nonce = randomBytes(18).toString("base64");
  const html = render(nonce);
  res.writeHead(200, {
    ...COMMON_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "content-security-policy": [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  });
  res.end(html);
}

/** A bare 404 that says nothing about what is served here. */
export function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8" });
  res.end("Not found\n");
}
