/** Loads the JWT signing secret from the data directory, generating and persisting one on first start. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../core/logger.js";

export const SECRET_KEY_FILE = "secret.key";

export function ensureSecretKey(given: string | undefined, dataDir: string, logger: Logger): string {
  if (given) return given;
  const file = path.join(dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
    throw new Error(`${file} holds a secret shorter than 32 characters; delete it to generate a new one`);
  }
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(48).toString("base64url");
  writeFileSync(file, generated + "\n", { mode: 0o600, flag: "wx" });
  logger.info({ file }, "generated a new secret key and saved it in the data directory (set SECRET_KEY to use your own)");
  return generated;
}
