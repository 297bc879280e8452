/** User administration: who am I, list and delete users, purge stale sign-in tokens. */
import { AppError } from "../core/app-error.js";
import type { AgentsService } from "../agents/service.js";
import type { Bus } from "../core/bus.js";
import type { Logger } from "../core/logger.js";
import type { UserRecord, UserStore } from "../auth/ports.js";
import type { AuthService } from "../auth/service.js";

export class UsersService {
  constructor(
    private readonly users: UserStore,
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  async me(userId: number): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppError("UNAUTHENTICATED");
    return user;
  }

  list(): Promise<UserRecord[]> {
    return this.users.list();
  }

  /** Deletes a user with their sessions and agents; their live sockets are closed. */
  async delete(id: number, byUserId: number): Promise<void> {
    // Listed first, since their records go with the user's.
    const agents = await this.agents.list(id);
    const outcome = await this.users.delete(id);
    if (outcome === "not_found") throw new AppError("USER_NOT_FOUND");
    if (outcome === "last_admin") throw new AppError("LAST_ADMIN");
    await this.agents.forgetDeleted(agents);
    await this.bus.publishControl({ type: "user_deleted", user_id: id });
    this.logger.info({ userId: id, by: byUserId }, "user deleted");
  }

  cleanupTokens(): Promise<number> {
    return this.auth.cleanupTokens();
  }
}
