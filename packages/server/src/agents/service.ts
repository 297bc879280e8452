/**
 * Agent management and agent authentication: create, list, rename, delete, regenerate tokens,
 * check an `X-Agent-Token` (activation window included), and keep presence (`last_seen`,
 * learned interval) in memory, saved in batches instead of a write per request.
 *
 * Checked tokens are cached in the shared Cache (Redis when scaled out) under their hash, never the
 * token itself. A change that ends or alters a token deletes its entry before it answers, so every
 * instance refuses a replaced token at once, not when a control event reaches it. An ended token is
 * also marked revoked first, and a check that read it from the store just before the change looks
 * for that mark after caching it, so a stale read cannot put it back into the cache.
 */
import type { AgentFacts } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";
import type { Bus } from "../core/bus.js";
import type { Cache } from "../core/cache.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { constantTimeEqual } from "../core/secure-token.js";
import { hashAgentToken, issueAgentToken, MAX_AGENT_TOKEN_LENGTH } from "./agent-token.js";
import type { AgentPresence, AgentRecord, AgentStore } from "./ports.js";
import { learnInterval } from "./status.js";

const PRESENCE_BATCH = 200;
/** How long a checked token is trusted without asking the store; changes delete the entry sooner. */
const TOKEN_CACHE_TTL_MS = 5 * 60_000;

const tokenKey = (tokenHash: string) => `agent-token:${tokenHash}`;
/** Marks a token that was replaced or deleted, for as long as a cache entry of it could live. */
const revokedKey = (tokenHash: string) => `agent-token-revoked:${tokenHash}`;

/** The agent an ingest request speaks for. */
export interface AgentIdentity {
  id: number;
  userId: number;
  name: string;
  tokenHash: string;
  activated: boolean;
}

interface CachedToken extends AgentIdentity {
  expiresAt: number;
}

export class AgentsService {
  private readonly presence = new Map<number, AgentPresence>();
  private readonly dirty = new Set<number>();
  private readonly lastFacts = new Map<number, string>();

  constructor(
    private readonly store: AgentStore,
    private readonly bus: Bus,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async create(userId: number, name: string): Promise<{ agent: AgentRecord; token: string }> {
    const issued = issueAgentToken(this.clock.now());
    const agent = await this.store.create({ userId, name, createdAt: issued.issuedAt, token: issued });
    this.logger.info({ agentId: agent.id, userId }, "agent created");
    return { agent, token: issued.token };
  }

  async list(userId: number): Promise<AgentRecord[]> {
    return (await this.store.listByUser(userId)).map((record) => this.withPresence(record));
  }

  /** Every agent with what this process knows of its presence. */
  async listAll(): Promise<AgentRecord[]> {
    return (await this.store.listAll()).map((record) => this.withPresence(record));
  }

  /** The caller's agent, or AGENT_NOT_FOUND: another user's id looks exactly like a missing one. */
  async get(userId: number, id: number): Promise<AgentRecord> {
    const record = await this.store.get(userId, id);
    if (!record) throw new AppError("AGENT_NOT_FOUND");
    return this.withPresence(record);
  }

  async rename(userId: number, id: number, name: string): Promise<AgentRecord> {
    const record = await this.store.rename(userId, id, name);
    if (!record) throw new AppError("AGENT_NOT_FOUND");
    await this.cache.delete(tokenKey(record.tokenHash));
    return this.withPresence(record);
  }

  async delete(userId: number, id: number): Promise<void> {
    // Read first: the token's cache entry is found by the hash the deletion takes away.
    const record = await this.store.get(userId, id);
    if (!record || !(await this.store.delete(userId, id))) throw new AppError("AGENT_NOT_FOUND");
    await this.forget(record);
    await this.bus.publishControl({ type: "agent_deleted", agent_id: id, user_id: userId });
    this.logger.info({ agentId: id, userId }, "agent deleted");
  }

  /** Issues a new token with a new activation window; the old one stops working at once. */
  async regenerateToken(userId: number, id: number): Promise<{ agent: AgentRecord; token: string }> {
    const previous = await this.store.get(userId, id);
    if (!previous) throw new AppError("AGENT_NOT_FOUND");
    const issued = issueAgentToken(this.clock.now());
    const agent = await this.store.replaceToken(userId, id, issued);
    if (!agent) throw new AppError("AGENT_NOT_FOUND");
    await this.revoke(previous.tokenHash);
    await this.bus.publishControl({ type: "agent_token_changed", agent_id: id, token_hash: issued.tokenHash });
    this.logger.info({ agentId: id, userId }, "agent token regenerated");
    return { agent: this.withPresence(agent), token: issued.token };
  }

  /** Resolves an `X-Agent-Token` to its agent, enforcing the activation window. */
  async authenticate(rawToken: string | undefined): Promise<AgentIdentity> {
    if (!rawToken) throw new AppError("AGENT_TOKEN_MISSING");
    if (rawToken.length > MAX_AGENT_TOKEN_LENGTH) throw new AppError("AGENT_TOKEN_INVALID");
    const tokenHash = hashAgentToken(rawToken);
    const cached = await this.cache.get(tokenKey(tokenHash));
    const token = cached === undefined ? await this.loadToken(tokenHash) : (JSON.parse(cached) as CachedToken);
    if (!token.activated && this.clock.now() > token.expiresAt) throw new AppError("AGENT_TOKEN_EXPIRED");
    return token;
  }

  /** Called after the first accepted ingest: the token is activated for good. */
  async activate(identity: AgentIdentity): Promise<void> {
    if (identity.activated) return;
    await this.store.activateToken(identity.id, identity.tokenHash, this.clock.now());
    // Deleted rather than rewritten: the next check on any instance reads the activation from the store,
    // and a token replaced meanwhile cannot be put back into the cache from this stale identity.
    await this.cache.delete(tokenKey(identity.tokenHash));
    this.logger.info({ agentId: identity.id }, "agent token activated");
  }

  /**
   * Forgets agents deleted with their user (listed before the deletion), so their tokens stop
   * working on every instance before the deletion is answered.
   */
  async forgetDeleted(agents: AgentRecord[]): Promise<void> {
    for (const agent of agents) await this.forget(agent);
  }

  /** Notes that the agent was heard from; saved later by `flushPresence`. */
  recordContact(agentId: number, newestSampleAt: number | null, observedGapMs: number | null): void {
    const previous = this.presence.get(agentId);
    const intervalMs =
      observedGapMs === null ? (previous?.intervalMs ?? null) : learnInterval(previous?.intervalMs ?? null, observedGapMs);
    this.presence.set(agentId, {
      id: agentId,
      lastSeen: this.clock.now(),
      newestSampleAt: Math.max(previous?.newestSampleAt ?? 0, newestSampleAt ?? 0) || null,
      intervalMs,
    });
    this.dirty.add(agentId);
  }

  /** Saves host facts when they changed since the last time they were saved. */
  async recordFacts(agentId: number, facts: AgentFacts): Promise<void> {
    const key = JSON.stringify(facts);
    if (this.lastFacts.get(agentId) === key) return;
    await this.store.saveFacts(agentId, facts);
    this.lastFacts.set(agentId, key);
  }

  /** Saves what changed, a few hundred agents per transaction with a yield between, so ingest never stalls on it. */
  async flushPresence(): Promise<void> {
    if (this.dirty.size === 0) return;
    const entries = [...this.dirty].map((id) => this.presence.get(id)!).filter(Boolean);
    this.dirty.clear();
    for (let i = 0; i < entries.length; i += PRESENCE_BATCH) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      await this.store.savePresence(entries.slice(i, i + PRESENCE_BATCH));
    }
  }

  private withPresence(record: AgentRecord): AgentRecord {
    const live = this.presence.get(record.id);
    if (!live) return record;
    return {
      ...record,
      lastSeen: Math.max(record.lastSeen ?? 0, live.lastSeen),
      newestSampleAt: Math.max(record.newestSampleAt ?? 0, live.newestSampleAt ?? 0) || null,
      intervalMs: live.intervalMs ?? record.intervalMs,
    };
  }

  private async loadToken(tokenHash: string): Promise<CachedToken> {
    const record = await this.store.findByTokenHash(tokenHash);
    if (!record || !constantTimeEqual(record.tokenHash, tokenHash)) throw new AppError("AGENT_TOKEN_INVALID");
    const token: CachedToken = {
      id: record.id,
      userId: record.userId,
      name: record.name,
      tokenHash,
      activated: record.tokenActivatedAt !== null,
      expiresAt: record.tokenExpiresAt,
    };
    await this.cache.set(tokenKey(tokenHash), JSON.stringify(token), TOKEN_CACHE_TTL_MS);
    // Revoked while the store was being read: the entry just written must not outlive the revocation.
    if ((await this.cache.get(revokedKey(tokenHash))) !== undefined) {
      await this.cache.delete(tokenKey(tokenHash));
      throw new AppError("AGENT_TOKEN_INVALID");
    }
    return token;
  }

  /** Marks the token revoked, then drops its cache entry (in this order: see the note at the top). */
  private async revoke(tokenHash: string): Promise<void> {
    await this.cache.set(revokedKey(tokenHash), "1", TOKEN_CACHE_TTL_MS);
    await this.cache.delete(tokenKey(tokenHash));
  }

  private async forget(agent: AgentRecord): Promise<void> {
    await this.revoke(agent.tokenHash);
    this.presence.delete(agent.id);
    this.dirty.delete(agent.id);
    this.lastFacts.delete(agent.id);
  }
}
