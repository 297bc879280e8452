/** Agent tokens: recognisable `sma_` prefix, 256 random bits, stored only as a SHA-256 digest. */
import { randomToken, sha256Hex } from "../core/secure-token.js";

export const AGENT_TOKEN_PREFIX = "sma_";
/** An unused token expires this long after it was issued; the first accepted ingest activates it for good. */
export const ACTIVATION_WINDOW_MS = 5 * 60_000;
/** Longest string worth hashing as a token; anything longer is rejected before any work. */
export const MAX_AGENT_TOKEN_LENGTH = 256;

export function issueAgentToken(now: number): { token: string; tokenHash: string; issuedAt: number; expiresAt: number } {
  const token = randomToken(AGENT_TOKEN_PREFIX, 32);
  return { token, tokenHash: sha256Hex(token), issuedAt: now, expiresAt: now + ACTIVATION_WINDOW_MS };
}

export const hashAgentToken = sha256Hex;
