/**
 * SQLite implementation of the SampleJournal port with group commit: appends arriving in the same
 * turn of the event loop are written in one transaction, and every caller is answered after it.
 */
import type { Sample } from "@statusmonitor/protocol";
import type { LoggedSample, SampleLog } from "../../history/ports.js";
import type { SampleJournal } from "../../ingest/ports.js";
import type { SqliteDatabase } from "./database.js";

interface PendingAppend {
  agentId: number;
  samples: Sample[];
  receivedAt: number;
  resolve(stored: Sample[]): void;
  reject(err: unknown): void;
}

export class SqliteSampleJournal implements SampleJournal, SampleLog {
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly insert;
  private readonly selectNewest;
  private readonly writeGroup;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      "INSERT INTO sample_journal (agent_id, ts, received_at, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.selectNewest = db.prepare("SELECT body FROM sample_journal WHERE agent_id = ? ORDER BY ts DESC LIMIT 1").pluck();
    this.writeGroup = db.transaction((group: PendingAppend[]) =>
      group.map((append) =>
        append.samples.filter(
          (s) => this.insert.run(append.agentId, s.timestamp, append.receivedAt, JSON.stringify(s)).changes === 1,
        ),
      ),
    );
  }

  /** The journal is the durable store: samples are written (group commit) before they are published. */
  async append(agentId: number, samples: Sample[], receivedAt: number, publish: (fresh: Sample[]) => Promise<void>): Promise<Sample[]> {
    const stored = await new Promise<Sample[]>((resolve, reject) => {
      this.pending.push({ agentId, samples, receivedAt, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
    if (stored.length > 0) await publish(stored);
    return stored;
  }

  /** Writes everything queued so far in one transaction. */
  flush(): void {
    const group = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    if (group.length === 0) return;
    let stored: Sample[][];
    try {
      stored = this.writeGroup(group);
    } catch (err) {
      for (const append of group) append.reject(err);
      return;
    }
    group.forEach((append, i) => append.resolve(stored[i]!));
  }

  async newest(agentId: number): Promise<Sample | undefined> {
    const body = this.selectNewest.get(agentId) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as Sample);
  }

  async prune(receivedBefore: number, maxRows: number): Promise<number> {
    // Row ids grow with arrival, so the oldest rows are found from the start of the table.
    return this.db
      .prepare(
        `DELETE FROM sample_journal
         WHERE id IN (SELECT id FROM sample_journal ORDER BY id LIMIT ?) AND received_at < ?`,
      )
      .run(maxRows, receivedBefore).changes;
  }

  async readSince(receivedFrom: number, afterId: number, limit: number): Promise<LoggedSample[]> {
    const rows = this.db
      .prepare("SELECT id, agent_id, received_at, body FROM sample_journal WHERE id > ? AND received_at >= ? ORDER BY id LIMIT ?")
      .all(afterId, receivedFrom, limit) as Array<{ id: number; agent_id: number; received_at: number; body: string }>;
    return rows.map((r) => ({ id: r.id, agentId: r.agent_id, receivedAt: r.received_at, sample: JSON.parse(r.body) as Sample }));
  }
}
