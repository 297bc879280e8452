/** PostgreSQL implementation of the AlertStore port: rules, states, channels, the event log and the delivery queue. */
import type { PoolClient } from "pg";
import type {
  AlertEventFilter,
  AlertEventRecord,
  AlertRuleChanges,
  AlertRuleRecord,
  AlertStateEntry,
  AlertStore,
  ChannelSettings,
  DeliveryRecord,
  DeliverySummary,
  DeliveryUpdate,
  NewAlertEvent,
  NewAlertRule,
  NewDelivery,
} from "../../alerts/ports.js";
import type { AlertState } from "../../alerts/state-machine.js";
import {
  toAlertEventRecord,
  toAlertRuleRecord,
  toChannelSettings,
  toDeliveryRecord,
  type ChannelRow,
  type DeliveryRow,
  type EventRow,
  type RuleRow,
} from "../sql/alert-rows.js";
import { inTransaction, type PostgresPool } from "./database.js";

/** A row of an event listing: the page's columns (null on the row that only carries the total) and the total. */
type ListedRow = { [K in keyof EventRow]: EventRow[K] | null } & { deliveries: DeliverySummary[] | null; total: number };

/** The rule fields a caller may set, and their columns: the only names that go into SQL text. */
const RULE_COLUMNS = {
  name: "name",
  agentId: "agent_id",
  metric: "metric",
  operator: "operator",
  threshold: "threshold",
  mountpoint: "mountpoint",
  durationS: "duration_s",
  cooldownS: "cooldown_s",
  enabled: "enabled",
} as const satisfies Record<keyof AlertRuleChanges, string>;
const RULE_FIELDS = Object.keys(RULE_COLUMNS) as Array<keyof typeof RULE_COLUMNS>;

/**
 * Upserts a batch of states. Joining the rules and agents drops states of ones deleted while they
 * were in flight; FOR KEY SHARE keeps the rest from being deleted before the foreign keys are checked.
 */
const UPSERT_STATES = `
  INSERT INTO alert_states (rule_id, agent_id, state)
  SELECT s.rule_id, s.agent_id, s.state::jsonb
  FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS s(rule_id, agent_id, state)
  JOIN alert_rules r ON r.id = s.rule_id
  JOIN agents a ON a.id = s.agent_id
  FOR KEY SHARE OF r, a
  ON CONFLICT (rule_id, agent_id) DO UPDATE SET state = excluded.state`;

/** Each event's deliveries as the summaries a listing shows, in the order they were queued. */
const DELIVERY_SUMMARIES = `
  COALESCE((
    SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'attempts', d.attempts, 'lastError', d.last_error) ORDER BY d.id)
    FROM alert_deliveries d WHERE d.event_id = e.id), '[]'::json)`;

/** UPSERT_STATES' arrays; of two entries for one (rule, agent) the last wins, as one statement may not touch a row twice. */
function stateArrays(entries: AlertStateEntry[]): [number[], number[], string[]] {
  const latest = new Map(entries.map((entry) => [`${entry.ruleId}:${entry.agentId}`, entry]));
  const unique = [...latest.values()];
  return [unique.map((e) => e.ruleId), unique.map((e) => e.agentId), unique.map((e) => JSON.stringify(e.state))];
}

/** The WHERE clause of an event listing with its parameters, numbered from $1, and its order. */
function eventFilterSql(userId: number, filter: AlertEventFilter): { where: string; order: string; values: unknown[] } {
  const values: unknown[] = [userId];
  const clauses = ["user_id = $1"];
  const add = (column: string, operator: string, value: unknown) => {
    values.push(value);
    clauses.push(`${column} ${operator} $${values.length}`);
  };
  if (filter.agentId !== undefined) add("agent_id", "=", filter.agentId);
  if (filter.metric !== undefined) add("metric", "=", filter.metric);
  if (filter.state !== undefined) add("state", "=", filter.state);
  if (filter.from !== undefined) add("at", ">=", filter.from);
  if (filter.to !== undefined) add("at", "<", filter.to);
  const order = filter.sort === "newest" ? "at DESC, id DESC" : "at ASC, id ASC";
  return { where: clauses.join(" AND "), order, values };
}

export class PostgresAlertStore implements AlertStore {
  constructor(private readonly pool: PostgresPool) {}

  async createRule(rule: NewAlertRule, now: number): Promise<AlertRuleRecord> {
    return (await this.insertRule(this.pool, rule, now))!;
  }

  async createRuleWithinLimit(rule: NewAlertRule, now: number, maxRules: number): Promise<AlertRuleRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      // Locking the owner's row serialises rule creation per user, so the count below sees every
      // committed insert (a second statement in READ COMMITTED takes a fresh snapshot).
      await client.query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", [rule.userId]);
      const { rows } = await client.query<{ count: number }>("SELECT count(*)::int AS count FROM alert_rules WHERE user_id = $1", [rule.userId]);
      return rows[0]!.count < maxRules ? this.insertRule(client, rule, now) : undefined;
    });
  }

  private async insertRule(db: Pick<PoolClient, "query">, rule: NewAlertRule, now: number): Promise<AlertRuleRecord | undefined> {
    const columns = RULE_FIELDS.map((field) => RULE_COLUMNS[field]);
    const { rows } = await db.query<RuleRow>(
      `INSERT INTO alert_rules (user_id, created_at, updated_at, ${columns.join(", ")})
       VALUES ($1, $2, $2, ${columns.map((_, i) => `$${i + 3}`).join(", ")})
       RETURNING *`,
      [rule.userId, now, ...RULE_FIELDS.map((field) => rule[field])],
    );
    return rows[0] && toAlertRuleRecord(rows[0]);
  }

  async listRules(userId: number): Promise<AlertRuleRecord[]> {
    const { rows } = await this.pool.query<RuleRow>("SELECT * FROM alert_rules WHERE user_id = $1 ORDER BY id", [userId]);
    return rows.map(toAlertRuleRecord);
  }

  async getRule(userId: number, id: number): Promise<AlertRuleRecord | undefined> {
    const { rows } = await this.pool.query<RuleRow>("SELECT * FROM alert_rules WHERE id = $1 AND user_id = $2", [id, userId]);
    return rows[0] && toAlertRuleRecord(rows[0]);
  }

  async countRules(userId: number): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>("SELECT count(*) FROM alert_rules WHERE user_id = $1", [userId]);
    return rows[0]!.count;
  }

  async updateRule(userId: number, id: number, changes: AlertRuleChanges, now: number): Promise<AlertRuleRecord | undefined> {
    // Setting only the given columns in one statement: a concurrent update of other fields is not lost.
    const given = RULE_FIELDS.filter((field) => changes[field] !== undefined);
    const assignments = given.map((field, i) => `${RULE_COLUMNS[field]} = $${i + 4}`);
    const { rows } = await this.pool.query<RuleRow>(
      `UPDATE alert_rules SET ${[...assignments, "updated_at = $3"].join(", ")}
       WHERE id = $1 AND user_id = $2
       RETURNING *`,
      [id, userId, now, ...given.map((field) => changes[field])],
    );
    return rows[0] && toAlertRuleRecord(rows[0]);
  }

  async deleteRule(userId: number, id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query("DELETE FROM alert_rules WHERE id = $1 AND user_id = $2", [id, userId]);
    return (rowCount ?? 0) > 0;
  }

  async listEnabledRules(): Promise<AlertRuleRecord[]> {
    const { rows } = await this.pool.query<RuleRow>("SELECT * FROM alert_rules WHERE enabled ORDER BY id");
    return rows.map(toAlertRuleRecord);
  }

  async loadStates(): Promise<AlertStateEntry[]> {
    const { rows } = await this.pool.query<{ rule_id: number; agent_id: number; state: AlertState }>(
      "SELECT rule_id, agent_id, state FROM alert_states ORDER BY rule_id, agent_id",
    );
    return rows.map((r) => ({ ruleId: r.rule_id, agentId: r.agent_id, state: r.state }));
  }

  async saveStates(entries: AlertStateEntry[]): Promise<void> {
    if (entries.length > 0) await this.pool.query(UPSERT_STATES, stateArrays(entries));
  }

  async deleteStates(ruleId: number, agentId?: number): Promise<void> {
    if (agentId === undefined) await this.pool.query("DELETE FROM alert_states WHERE rule_id = $1", [ruleId]);
    else await this.pool.query("DELETE FROM alert_states WHERE rule_id = $1 AND agent_id = $2", [ruleId, agentId]);
  }

  async getChannels(userId: number): Promise<ChannelSettings> {
    const { rows } = await this.pool.query<ChannelRow>(
      "SELECT telegram_chat_id, telegram_enabled, webhook_url, webhook_secret, webhook_enabled FROM alert_channels WHERE user_id = $1",
      [userId],
    );
    return toChannelSettings(rows[0]);
  }

  async saveChannels(userId: number, settings: ChannelSettings, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO alert_channels (user_id, telegram_chat_id, telegram_enabled, webhook_url, webhook_secret, webhook_enabled, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id) DO UPDATE SET
         telegram_chat_id = excluded.telegram_chat_id, telegram_enabled = excluded.telegram_enabled,
         webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret,
         webhook_enabled = excluded.webhook_enabled, updated_at = excluded.updated_at`,
      [userId, settings.telegram.chatId, settings.telegram.enabled, settings.webhook.url, settings.webhook.secretSealed, settings.webhook.enabled, now],
    );
  }

  async recordTransition(input: {
    state: AlertStateEntry;
    event: NewAlertEvent;
    deliveries: NewDelivery[];
  }): Promise<{ event: AlertEventRecord; deliveries: DeliveryRecord[] } | undefined> {
    const { state, event } = input;
    return inTransaction(this.pool, async (client) => {
      if (!(await lockRulesAndAgents(client, [state.ruleId, event.ruleId], [state.agentId, event.agentId]))) return undefined;
      await client.query(UPSERT_STATES, stateArrays([state]));
      const { rows: events } = await client.query<EventRow>(
        `INSERT INTO alert_events (user_id, rule_id, rule_name, agent_id, agent_name, metric, operator, threshold, value, mountpoint, state, message, delivery, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         RETURNING *`,
        [event.userId, event.ruleId, event.ruleName, event.agentId, event.agentName, event.metric, event.operator, event.threshold, event.value, event.mountpoint, event.state, event.message, event.delivery, event.at],
      );
      const eventRow = events[0]!;
      const deliveries = (await queueDeliveries(client, eventRow.id, input.deliveries)).map(toDeliveryRecord);
      const summaries = deliveries.map(({ channel, status, attempts, lastError }) => ({ channel, status, attempts, lastError }));
      return { event: toAlertEventRecord(eventRow, summaries), deliveries };
    });
  }

  async listEvents(userId: number, filter: AlertEventFilter): Promise<{ total: number; items: AlertEventRecord[] }> {
    const { where, order, values } = eventFilterSql(userId, filter);
    // One statement, so the total, the page and its deliveries describe the same moment. The
    // count always gives one row; the page joins onto it, leaving it alone (columns null) when empty.
    const { rows } = await this.pool.query<ListedRow>(
      `SELECT page.*, matching.total
       FROM (SELECT count(*) AS total FROM alert_events WHERE ${where}) AS matching
       LEFT JOIN LATERAL (
         SELECT e.*, ${DELIVERY_SUMMARIES} AS deliveries
         FROM alert_events e WHERE ${where}
         ORDER BY ${order} LIMIT $${values.length + 1} OFFSET $${values.length + 2}
       ) AS page ON true
       ORDER BY ${order}`,
      [...values, filter.limit, filter.offset],
    );
    const items = rows.filter((r) => r.id !== null).map((r) => toAlertEventRecord(r as EventRow, r.deliveries!));
    return { total: rows[0]!.total, items };
  }

  async clearEvents(userId: number): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM alert_events WHERE user_id = $1", [userId]);
    return rowCount ?? 0;
  }

  async pruneEvents(before: number, limit: number): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        "DELETE FROM alert_events WHERE id IN (SELECT id FROM alert_events WHERE at < $1 ORDER BY at LIMIT $2)",
        [before, limit],
      );
      await client.query(
        `DELETE FROM alert_deliveries WHERE id IN (
           SELECT id FROM alert_deliveries WHERE status <> 'pending' AND finished_at < $1 ORDER BY finished_at LIMIT $2)`,
        [before, limit],
      );
      return rowCount ?? 0;
    });
  }

  async pendingDeliveries(): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>("SELECT * FROM alert_deliveries WHERE status = 'pending' ORDER BY id");
    return rows.map(toDeliveryRecord);
  }

  async updateDelivery(id: number, update: DeliveryUpdate): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // The event row is locked first, so updates of two deliveries of one event take turns: the
      // recount below is a new statement, with a snapshot that sees the turn before it. (Locking
      // it after the delivery would also deadlock with clearing the log, which goes event first.)
      const { rows: linked } = await client.query<{ id: number }>(
        "SELECT e.id FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id WHERE d.id = $1 FOR NO KEY UPDATE OF e",
        [id],
      );
      await client.query(
        `UPDATE alert_deliveries SET status = $2, attempts = $3, first_tried_at = $4, next_attempt_at = $5, last_error = $6, finished_at = $7
         WHERE id = $1`,
        [id, update.status, update.attempts, update.firstTriedAt, update.nextAttemptAt, update.lastError, update.finishedAt],
      );
      const eventId = linked[0]?.id;
      if (eventId === undefined) return;
      await client.query(
        `UPDATE alert_events SET delivery = (
           SELECT CASE WHEN bool_or(status = 'pending') THEN 'pending' WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'sent' END
           FROM alert_deliveries WHERE event_id = $1)
         WHERE id = $1`,
        [eventId],
      );
    });
  }
}

/**
 * Whether every given rule and agent still exists; those that do stay locked (FOR KEY SHARE) until
 * the transaction ends, so they cannot be deleted under the rows that are about to refer to them.
 */
async function lockRulesAndAgents(client: PoolClient, ruleIds: number[], agentIds: number[]): Promise<boolean> {
  const rules = [...new Set(ruleIds)];
  const agents = [...new Set(agentIds)];
  const { rows } = await client.query<{ rules: number; agents: number }>(
    `WITH rules AS (SELECT id FROM alert_rules WHERE id = ANY($1::bigint[]) FOR KEY SHARE),
          owned AS (SELECT id FROM agents WHERE id = ANY($2::bigint[]) FOR KEY SHARE)
     SELECT (SELECT count(*) FROM rules) AS rules, (SELECT count(*) FROM owned) AS agents`,
    [rules, agents],
  );
  return rows[0]!.rules === rules.length && rows[0]!.agents === agents.length;
}

/** Queues an event's deliveries in one statement; ids follow the order given. */
async function queueDeliveries(client: PoolClient, eventId: number, deliveries: NewDelivery[]): Promise<DeliveryRow[]> {
  if (deliveries.length === 0) return [];
  const { rows } = await client.query<DeliveryRow>(
    `INSERT INTO alert_deliveries (event_id, user_id, channel, message, status, attempts, next_attempt_at, created_at)
     SELECT $1, d.user_id, d.channel, d.message::jsonb, 'pending', 0, d.created_at, d.created_at
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS d(user_id, channel, message, created_at, position)
     ORDER BY d.position
     RETURNING *`,
    [
      eventId,
      deliveries.map((d) => d.userId),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => JSON.stringify(d.message)),
      deliveries.map((d) => d.createdAt),
    ],
  );
  return rows.sort((a, b) => a.id - b.id);
}
