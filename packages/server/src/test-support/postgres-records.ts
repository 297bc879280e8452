/** Quick ways for store-level tests to add the users and agents records belong to, straight into a PostgreSQL schema. */
import type { PostgresPool } from "../adapters/postgres/database.js";

export interface PostgresRecords {
  /** Inserts a user (no password hashing) and returns its id. */
  createUser(): Promise<number>;
  /** Inserts an agent of `userId` with a unique name and token hash; returns its id. */
  createAgent(userId: number): Promise<number>;
  deleteAgent(userId: number, id: number): Promise<void>;
}

export function postgresRecords(pool: PostgresPool): PostgresRecords {
  let made = 0;
  const insertedId = async (sql: string, values: unknown[]) => (await pool.query<{ id: number }>(sql, values)).rows[0]!.id;
  return {
    createUser: () =>
      insertedId("INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, 'x', 'user', 0) RETURNING id", [`user ${(made += 1)}`]),
    createAgent: (userId) => {
      made += 1;
      return insertedId(
        `INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at)
         VALUES ($1, $2, $3, 0, 1, 0) RETURNING id`,
        [userId, `agent ${made}`, `hash-${made}`],
      );
    },
    deleteAgent: async (userId, id) => {
      await pool.query("DELETE FROM agents WHERE id = $1 AND user_id = $2", [id, userId]);
    },
  };
}
