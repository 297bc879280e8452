/** Single-use, 30-second tickets that authorize one WebSocket connection without a token in the URL. */
import type { Principal } from "../auth/access-tokens.js";
import type { AgentsService } from "../agents/service.js";
import { AppError } from "../core/app-error.js";
import type { Cache } from "../core/cache.js";
import { randomToken, sha256Hex } from "../core/secure-token.js";
import type { LiveGrant } from "./ports.js";

export const TICKET_TTL_S = 30;
const PREFIX = "live-ticket:";

export class LiveTickets {
  constructor(
    private readonly cache: Cache,
    private readonly agents: AgentsService,
    /** A ticket outlives neither its session nor its user. */
    private readonly sessionActive: (sessionId: string) => Promise<boolean>,
  ) {}

  /** Issues a ticket for one of the caller's agents (404 otherwise) or for all of them. */
  async issue(principal: Principal, agentId: number | null): Promise<string> {
    if (agentId !== null) await this.agents.get(principal.userId, agentId);
    const ticket = randomToken("smt_", 32);
    const grant: LiveGrant = { userId: principal.userId, sessionId: principal.sessionId, agentId };
    // Stored under its hash, so the cache (Redis when scaled out) never holds a usable ticket.
    await this.cache.set(PREFIX + sha256Hex(ticket), JSON.stringify(grant), TICKET_TTL_S * 1000);
    return ticket;
  }

  /**
   * Redeems a ticket once; a second use, an unknown or an expired ticket gives undefined, and so does a
   * ticket whose session ended since, or whose agent the user no longer owns (its id may be reused).
   */
  async redeem(ticket: string | undefined): Promise<LiveGrant | undefined> {
    if (!ticket || ticket.length > 128) return undefined;
    const stored = await this.cache.take(PREFIX + sha256Hex(ticket));
    if (stored === undefined) return undefined;
    const grant = JSON.parse(stored) as LiveGrant;
    if (!(await this.sessionActive(grant.sessionId))) return undefined;
    if (grant.agentId !== null) {
      try {
        await this.agents.get(grant.userId, grant.agentId);
      } catch (err) {
        if (err instanceof AppError) return undefined;
        throw err;
      }
    }
    return grant;
  }
}
