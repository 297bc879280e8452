/** Password hashing with argon2id at the OWASP-recommended cost (m=19456 KiB, t=2, p=1). */
import { hash, verify } from "@node-rs/argon2";

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown username is not revealed by a faster answer. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("statusmonitor-dummy-password");
  await verifyPassword(await dummyHash, password);
  return false;
}
