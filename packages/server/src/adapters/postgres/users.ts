/** PostgreSQL implementation of the UserStore port. */
import type { Role } from "@statusmonitor/protocol";
import type { NewUser, UserRecord, UserStore } from "../../auth/ports.js";
import { toUserRecord, type UserRow } from "../sql/account-rows.js";
import { inTransaction, type PostgresPool } from "./database.js";

/**
 * Who is first and who is the last admin are questions about the whole table, so the writes that
 * ask them take this lock first. It serialises them across every hub instance while reads, and
 * sessions and agents referring to a user, go on. Row locks cannot do it: the deciding row may not
 * exist yet.
 */
const LOCK_MEMBERSHIP = "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE";

export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(input: NewUser): Promise<UserRecord | "taken" | "closed"> {
    return inTransaction(this.pool, async (client): Promise<UserRecord | "taken" | "closed"> => {
      await client.query(LOCK_MEMBERSHIP);
      const inserted = await client.query<UserRow>(
        `INSERT INTO users (username, password_hash, role, created_at)
         SELECT $1, $2,
                CASE WHEN $3::text IS NOT NULL THEN $3::text WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END,
                $4
         WHERE NOT $5::boolean OR NOT EXISTS (SELECT 1 FROM users)
         ON CONFLICT ((lower(username))) DO NOTHING
         RETURNING *`,
        [input.username, input.passwordHash, input.role ?? null, input.createdAt, input.onlyIfFirst],
      );
      if (inserted.rows[0]) return toUserRecord(inserted.rows[0]);
      const existing = await client.query("SELECT 1 FROM users WHERE lower(username) = lower($1)", [input.username]);
      return existing.rowCount ? "taken" : "closed";
    });
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>("SELECT * FROM users WHERE lower(username) = lower($1)", [username]);
    return rows[0] && toUserRecord(rows[0]);
  }

  async findById(id: number): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] && toUserRecord(rows[0]);
  }

  async list(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>("SELECT * FROM users ORDER BY id");
    return rows.map(toUserRecord);
  }

  async delete(id: number): Promise<"deleted" | "not_found" | "last_admin"> {
    return inTransaction(this.pool, async (client): Promise<"deleted" | "not_found" | "last_admin"> => {
      await client.query(LOCK_MEMBERSHIP);
      const { rows } = await client.query<{ role: Role }>("SELECT role FROM users WHERE id = $1", [id]);
      if (!rows[0]) return "not_found";
      if (rows[0].role === "admin") {
        const admins = await client.query<{ count: number }>("SELECT count(*) AS count FROM users WHERE role = 'admin'");
        if (admins.rows[0]!.count <= 1) return "last_admin";
      }
      // Sessions, refresh tokens and agents (and what hangs off agents) go by ON DELETE CASCADE.
      await client.query("DELETE FROM users WHERE id = $1", [id]);
      return "deleted";
    });
  }

  async setPassword(id: number, passwordHash: string): Promise<boolean> {
    const result = await this.pool.query("UPDATE users SET password_hash = $1 WHERE id = $2", [passwordHash, id]);
    return (result.rowCount ?? 0) > 0;
  }
}
