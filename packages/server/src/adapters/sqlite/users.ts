/** SQLite implementation of the UserStore port. */
import type { NewUser, UserRecord, UserStore } from "../../auth/ports.js";
import { toUserRecord, type UserRow } from "../sql/account-rows.js";
import type { SqliteDatabase } from "./database.js";

export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly byName;
  private readonly byId;
  constructor(private readonly db: SqliteDatabase) {
    // The role is decided inside the INSERT, so two first registrations cannot both become admin.
    this.insert = db.prepare(`
      INSERT INTO users (username, password_hash, role, created_at)
      SELECT @username, @passwordHash,
             CASE WHEN @role IS NOT NULL THEN @role WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END,
             @createdAt
      WHERE @onlyIfFirst = 0 OR NOT EXISTS (SELECT 1 FROM users)
      ON CONFLICT (username) DO NOTHING
      RETURNING *`);
    this.byName = db.prepare("SELECT * FROM users WHERE username = ?");
    this.byId = db.prepare("SELECT * FROM users WHERE id = ?");
  }

  async create(input: NewUser): Promise<UserRecord | "taken" | "closed"> {
    return this.db.transaction((): UserRecord | "taken" | "closed" => {
      const row = this.insert.get({ ...input, role: input.role ?? null, onlyIfFirst: input.onlyIfFirst ? 1 : 0 }) as UserRow | undefined;
      if (row) return toUserRecord(row);
      return this.byName.get(input.username) ? "taken" : "closed";
    }).immediate();
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.byName.get(username) as UserRow | undefined;
    return row && toUserRecord(row);
  }

  async findById(id: number): Promise<UserRecord | undefined> {
    const row = this.byId.get(id) as UserRow | undefined;
    return row && toUserRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    return (this.db.prepare("SELECT * FROM users ORDER BY id").all() as UserRow[]).map(toUserRecord);
  }

  async delete(id: number): Promise<"deleted" | "not_found" | "last_admin"> {
    return this.db.transaction((): "deleted" | "not_found" | "last_admin" => {
      const row = this.byId.get(id) as UserRow | undefined;
      if (!row) return "not_found";
      if (row.role === "admin") {
        const admins = this.db.prepare("SELECT count(*) FROM users WHERE role = 'admin'").pluck().get() as number;
        if (admins <= 1) return "last_admin";
      }
      this.db.prepare("DELETE FROM users WHERE id = ?").run(id);
      return "deleted";
    }).immediate();
  }

  async setPassword(id: number, passwordHash: string): Promise<boolean> {
    return this.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id).changes > 0;
  }
}
