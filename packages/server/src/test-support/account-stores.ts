/** What the account contracts (users, sessions, agents) run against: one backend's three stores, and more hub instances on the same database. */
import type { AgentStore } from "../agents/ports.js";
import type { SessionStore, UserStore } from "../auth/ports.js";

export interface AccountStores {
  users: UserStore;
  sessions: SessionStore;
  agents: AgentStore;
}

/** A fresh, empty database with its stores. */
export interface AccountStoresFixture extends AccountStores {
  /** Stores on their own connections to the same database, as another hub process would have them. */
  openInstance(): Promise<AccountStores & { close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Creates a plain user in `users` (no password hashing) and returns its id; fails loudly if the store refuses. */
export async function createPlainUser(users: UserStore, username: string, createdAt = 0): Promise<number> {
  const created = await users.create({ username, passwordHash: "h", createdAt, onlyIfFirst: false });
  if (typeof created === "string") throw new Error(`creating ${username}: ${created}`);
  return created.id;
}
