/**
 * Makes an already-expired copy of a real access token, signed with the hub's own key from its data
 * directory: the hub then answers exactly as it does for a token whose 15 minutes are up.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function expiredCopy(token: string, dataDir: string): string {
  const secret = readFileSync(path.join(dataDir, "secret.key"), "utf8").trim();
  const [header, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  const nowS = Math.floor(Date.now() / 1000);
  // An hour old, so the hub's clock tolerance (a few seconds) cannot let it pass.
  const body = base64url(JSON.stringify({ ...claims, iat: nowS - 3600 - 900, exp: nowS - 3600 }));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}
