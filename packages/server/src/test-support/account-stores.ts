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
