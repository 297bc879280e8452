/** SQLite implementation of the AlertStore port: rules, states, channels, the event log and the delivery queue. */
import type { NotificationMessage } from "../../alerts/messages.js";
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
import type { SqliteDatabase } from "./database.js";

/** SQLite has no BOOLEAN and no JSON type: flags are stored as 0 and 1, messages as JSON text. */
type SqliteRuleRow = Omit<RuleRow, "enabled"> & { enabled: number };
type SqliteChannelRow = Omit<ChannelRow, "telegram_enabled" | "webhook_enabled"> & { telegram_enabled: number; webhook_enabled: number };
type SqliteDeliveryRow = Omit<DeliveryRow, "message"> & { message: string };

const toRule = (r: SqliteRuleRow): AlertRuleRecord => toAlertRuleRecord({ ...r, enabled: r.enabled === 1 });

const toChannels = (row: SqliteChannelRow | undefined): ChannelSettings =>
  toChannelSettings(row && { ...row, telegram_enabled: row.telegram_enabled === 1, webhook_enabled: row.webhook_enabled === 1 });

const toDelivery = (r: SqliteDeliveryRow): DeliveryRecord => toDeliveryRecord({ ...r, message: JSON.parse(r.message) as NotificationMessage });

type SummaryRow = Pick<DeliveryRow, "event_id" | "channel" | "status" | "attempts" | "last_error">;

const toSummary = (r: SummaryRow): DeliverySummary => ({ channel: r.channel, status: r.status, attempts: r.attempts, lastError: r.last_error });

type Statement = ReturnType<SqliteDatabase["prepare"]>;
/** An event listing's page and total, for one combination of filters. */
interface ListStatements {
  page: Statement;
  count: Statement;
}

/** Named parameters for every rule column but the id and times. */
const ruleParams = (rule: NewAlertRule) => ({
  userId: rule.userId,
  name: rule.name,
  agentId: rule.agentId,
  metric: rule.metric,
  operator: rule.operator,
  threshold: rule.threshold,
  mountpoint: rule.mountpoint,
  durationS: rule.durationS,
  cooldownS: rule.cooldownS,
  enabled: rule.enabled ? 1 : 0,
});

/** Which optional filters a listing uses and its order: each combination gets its own statement, prepared once. */
function eventFilterSql(filter: AlertEventFilter): { key: string; where: string; order: string } {
  const clauses = ["user_id = @userId"];
  if (filter.agentId !== undefined) clauses.push("agent_id = @agentId");
  if (filter.metric !== undefined) clauses.push("metric = @metric");
  if (filter.state !== undefined) clauses.push("state = @state");
  if (filter.from !== undefined) clauses.push("at >= @from");
  if (filter.to !== undefined) clauses.push("at < @to");
  const order = filter.sort === "newest" ? "at DESC, id DESC" : "at ASC, id ASC";
  return { key: `${clauses.join(" AND ")}|${order}`, where: clauses.join(" AND "), order };
}

export class SqliteAlertStore implements AlertStore {
  private readonly insertRule;
  private readonly selectRules;
  private readonly selectRule;
  private readonly countOwnedRules;
  private readonly updateRuleRow;
  private readonly deleteRuleRow;
  private readonly selectEnabledRules;
  private readonly selectStates;
  private readonly upsertState;
  private readonly deleteRuleStates;
  private readonly deleteAgentStates;
  private readonly selectChannels;
  private readonly upsertChannels;
  private readonly ruleExists;
  private readonly agentExists;
  private readonly insertEvent;
  private readonly insertDelivery;
  private readonly selectSummaries;
  private readonly deleteUserEvents;
  private readonly pruneOldEvents;
  private readonly pruneFinishedDeliveries;
  private readonly selectPending;
  private readonly updateDeliveryRow;
  private readonly refreshEventDelivery;
  private readonly listStatements = new Map<string, ListStatements>();

  private readonly updateRuleTx;
  private readonly saveStatesTx;
  private readonly recordTransitionTx;
  private readonly listEventsTx;
  private readonly pruneTx;
  private readonly updateDeliveryTx;

  constructor(private readonly db: SqliteDatabase) {
    // One statement: the owner's rule count and the insert cannot be split by another writer.
    this.insertRule = db.prepare(`
      INSERT INTO alert_rules (user_id, name, agent_id, metric, operator, threshold, mountpoint, duration_s, cooldown_s, enabled, created_at, updated_at)
      SELECT @userId, @name, @agentId, @metric, @operator, @threshold, @mountpoint, @durationS, @cooldownS, @enabled, @now, @now
      WHERE (SELECT count(*) FROM alert_rules WHERE user_id = @userId) < @maxRules
      RETURNING *`);
    this.selectRules = db.prepare("SELECT * FROM alert_rules WHERE user_id = ? ORDER BY id");
    this.selectRule = db.prepare("SELECT * FROM alert_rules WHERE id = ? AND user_id = ?");
    this.countOwnedRules = db.prepare("SELECT count(*) FROM alert_rules WHERE user_id = ?").pluck();
    this.updateRuleRow = db.prepare(`
      UPDATE alert_rules SET name = @name, agent_id = @agentId, metric = @metric, operator = @operator, threshold = @threshold,
        mountpoint = @mountpoint, duration_s = @durationS, cooldown_s = @cooldownS, enabled = @enabled, updated_at = @now
      WHERE id = @id AND user_id = @userId
      RETURNING *`);
    this.deleteRuleRow = db.prepare("DELETE FROM alert_rules WHERE id = ? AND user_id = ?");
    this.selectEnabledRules = db.prepare("SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY id");

    this.selectStates = db.prepare("SELECT rule_id, agent_id, state FROM alert_states ORDER BY rule_id, agent_id");
    // Inserting through a SELECT drops states of a rule or agent deleted while they were in flight.
    this.upsertState = db.prepare(`
      INSERT INTO alert_states (rule_id, agent_id, state)
      SELECT @ruleId, @agentId, @state
      WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = @ruleId) AND EXISTS (SELECT 1 FROM agents WHERE id = @agentId)
      ON CONFLICT (rule_id, agent_id) DO UPDATE SET state = excluded.state`);
    this.deleteRuleStates = db.prepare("DELETE FROM alert_states WHERE rule_id = ?");
    this.deleteAgentStates = db.prepare("DELETE FROM alert_states WHERE rule_id = ? AND agent_id = ?");

    this.selectChannels = db.prepare(
      "SELECT telegram_chat_id, telegram_enabled, webhook_url, webhook_secret, webhook_enabled FROM alert_channels WHERE user_id = ?",
    );
    this.upsertChannels = db.prepare(`
      INSERT INTO alert_channels (user_id, telegram_chat_id, telegram_enabled, webhook_url, webhook_secret, webhook_enabled, updated_at)
      VALUES (@userId, @chatId, @telegramEnabled, @url, @secret, @webhookEnabled, @now)
      ON CONFLICT (user_id) DO UPDATE SET
        telegram_chat_id = excluded.telegram_chat_id, telegram_enabled = excluded.telegram_enabled,
        webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret,
        webhook_enabled = excluded.webhook_enabled, updated_at = excluded.updated_at`);

    this.ruleExists = db.prepare("SELECT 1 FROM alert_rules WHERE id = ?").pluck();
    this.agentExists = db.prepare("SELECT 1 FROM agents WHERE id = ?").pluck();
    this.insertEvent = db.prepare(`
      INSERT INTO alert_events (user_id, rule_id, rule_name, agent_id, agent_name, metric, operator, threshold, value, mountpoint, state, message, delivery, at)
      VALUES (@userId, @ruleId, @ruleName, @agentId, @agentName, @metric, @operator, @threshold, @value, @mountpoint, @state, @message, @delivery, @at)
      RETURNING *`);
    this.insertDelivery = db.prepare(`
      INSERT INTO alert_deliveries (event_id, user_id, channel, message, status, attempts, first_tried_at, next_attempt_at, last_error, created_at, finished_at)
      VALUES (@eventId, @userId, @channel, @message, 'pending', 0, NULL, @createdAt, NULL, @createdAt, NULL)
      RETURNING *`);
    // One query for a whole page of events: their ids travel as one JSON array.
    this.selectSummaries = db.prepare(`
      SELECT event_id, channel, status, attempts, last_error FROM alert_deliveries
      WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`);
    this.deleteUserEvents = db.prepare("DELETE FROM alert_events WHERE user_id = ?");
    this.pruneOldEvents = db.prepare(
      "DELETE FROM alert_events WHERE id IN (SELECT id FROM alert_events WHERE at < ? ORDER BY at LIMIT ?)",
    );
    this.pruneFinishedDeliveries = db.prepare(`
      DELETE FROM alert_deliveries WHERE id IN (
        SELECT id FROM alert_deliveries WHERE status <> 'pending' AND finished_at < ? ORDER BY finished_at LIMIT ?)`);

    this.selectPending = db.prepare("SELECT * FROM alert_deliveries WHERE status = 'pending' ORDER BY id");
    this.updateDeliveryRow = db.prepare(`
      UPDATE alert_deliveries SET status = @status, attempts = @attempts, first_tried_at = @firstTriedAt,
        next_attempt_at = @nextAttemptAt, last_error = @lastError, finished_at = @finishedAt
      WHERE id = @id
      RETURNING event_id`).pluck();
    this.refreshEventDelivery = db.prepare(`
      UPDATE alert_events SET delivery = (
        SELECT CASE WHEN sum(status = 'pending') > 0 THEN 'pending' WHEN sum(status = 'failed') > 0 THEN 'failed' ELSE 'sent' END
        FROM alert_deliveries WHERE event_id = @eventId)
      WHERE id = @eventId AND EXISTS (SELECT 1 FROM alert_deliveries WHERE event_id = @eventId)`);

    this.updateRuleTx = db.transaction((userId: number, id: number, changes: AlertRuleChanges, now: number) => {
      const row = this.selectRule.get(id, userId) as SqliteRuleRow | undefined;
      if (!row) return undefined;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const merged: NewAlertRule = { ...toRule(row), ...defined, userId };
      return toRule(this.updateRuleRow.get({ ...ruleParams(merged), id, now }) as SqliteRuleRow);
    });
    this.saveStatesTx = db.transaction((entries: AlertStateEntry[]) => {
      for (const entry of entries) this.upsertState.run({ ruleId: entry.ruleId, agentId: entry.agentId, state: JSON.stringify(entry.state) });
    });
    this.recordTransitionTx = db.transaction(
      (input: { state: AlertStateEntry; event: NewAlertEvent; deliveries: NewDelivery[] }) => {
        const { state, event } = input;
        const rulesExist = [state.ruleId, event.ruleId].every((id) => this.ruleExists.get(id) !== undefined);
        const agentsExist = [state.agentId, event.agentId].every((id) => this.agentExists.get(id) !== undefined);
        if (!rulesExist || !agentsExist) return undefined;
        this.upsertState.run({ ruleId: state.ruleId, agentId: state.agentId, state: JSON.stringify(state.state) });
        const eventRow = this.insertEvent.get(event) as EventRow;
        const deliveries = input.deliveries.map((delivery) =>
          toDelivery(
            this.insertDelivery.get({
              eventId: eventRow.id,
              userId: delivery.userId,
              channel: delivery.channel,
              message: JSON.stringify(delivery.message),
              createdAt: delivery.createdAt,
            }) as SqliteDeliveryRow,
          ),
        );
        const summaries = deliveries.map(({ channel, status, attempts, lastError }) => ({ channel, status, attempts, lastError }));
        return { event: toAlertEventRecord(eventRow, summaries), deliveries };
      },
    );
    // One read transaction, so the total, the page and its deliveries describe the same moment.
    this.listEventsTx = db.transaction((statements: ListStatements, params: AlertEventFilter & { userId: number }) => {
      const total = statements.count.get(params) as number;
      const rows = statements.page.all(params) as EventRow[];
      const byEvent = new Map<number, DeliverySummary[]>(rows.map((r) => [r.id, []]));
      if (rows.length > 0) {
        for (const summary of this.selectSummaries.all(JSON.stringify(rows.map((r) => r.id))) as SummaryRow[]) {
          byEvent.get(summary.event_id!)?.push(toSummary(summary));
        }
      }
      return { total, items: rows.map((r) => toAlertEventRecord(r, byEvent.get(r.id)!)) };
    });
    this.pruneTx = db.transaction((before: number, limit: number) => {
      const events = this.pruneOldEvents.run(before, limit).changes;
      this.pruneFinishedDeliveries.run(before, limit);
      return events;
    });
    this.updateDeliveryTx = db.transaction((id: number, update: DeliveryUpdate) => {
      const eventId = this.updateDeliveryRow.get({ ...update, id }) as number | null | undefined;
      if (typeof eventId === "number") this.refreshEventDelivery.run({ eventId });
    });
  }

  async createRule(rule: NewAlertRule, now: number): Promise<AlertRuleRecord> {
    return (await this.createRuleWithinLimit(rule, now, Number.MAX_SAFE_INTEGER))!;
  }

  async createRuleWithinLimit(rule: NewAlertRule, now: number, maxRules: number): Promise<AlertRuleRecord | undefined> {
    const row = this.insertRule.get({ ...ruleParams(rule), now, maxRules }) as SqliteRuleRow | undefined;
    return row && toRule(row);
  }

  async listRules(userId: number): Promise<AlertRuleRecord[]> {
    return (this.selectRules.all(userId) as SqliteRuleRow[]).map(toRule);
  }

  async getRule(userId: number, id: number): Promise<AlertRuleRecord | undefined> {
    const row = this.selectRule.get(id, userId) as SqliteRuleRow | undefined;
    return row && toRule(row);
  }

  async countRules(userId: number): Promise<number> {
    return this.countOwnedRules.get(userId) as number;
  }

  async updateRule(userId: number, id: number, changes: AlertRuleChanges, now: number): Promise<AlertRuleRecord | undefined> {
    // IMMEDIATE: the read and the write happen under one write lock, so a concurrent update is not lost.
    return this.updateRuleTx.immediate(userId, id, changes, now);
  }

  async deleteRule(userId: number, id: number): Promise<boolean> {
    return this.deleteRuleRow.run(id, userId).changes > 0;
  }

  async listEnabledRules(): Promise<AlertRuleRecord[]> {
    return (this.selectEnabledRules.all() as SqliteRuleRow[]).map(toRule);
  }

  async loadStates(): Promise<AlertStateEntry[]> {
    const rows = this.selectStates.all() as Array<{ rule_id: number; agent_id: number; state: string }>;
    return rows.map((r) => ({ ruleId: r.rule_id, agentId: r.agent_id, state: JSON.parse(r.state) as AlertStateEntry["state"] }));
  }

  async saveStates(entries: AlertStateEntry[]): Promise<void> {
    if (entries.length > 0) this.saveStatesTx(entries);
  }

  async deleteStates(ruleId: number, agentId?: number): Promise<void> {
    if (agentId === undefined) this.deleteRuleStates.run(ruleId);
    else this.deleteAgentStates.run(ruleId, agentId);
  }

  async getChannels(userId: number): Promise<ChannelSettings> {
    return toChannels(this.selectChannels.get(userId) as SqliteChannelRow | undefined);
  }

  async saveChannels(userId: number, settings: ChannelSettings, now: number): Promise<void> {
    this.upsertChannels.run({
      userId,
      chatId: settings.telegram.chatId,
      telegramEnabled: settings.telegram.enabled ? 1 : 0,
      url: settings.webhook.url,
      secret: settings.webhook.secretSealed,
      webhookEnabled: settings.webhook.enabled ? 1 : 0,
      now,
    });
  }

  async recordTransition(input: {
    state: AlertStateEntry;
    event: NewAlertEvent;
    deliveries: NewDelivery[];
  }): Promise<{ event: AlertEventRecord; deliveries: DeliveryRecord[] } | undefined> {
    // IMMEDIATE: the existence checks and the writes see the same database, with no other writer between.
    return this.recordTransitionTx.immediate(input);
  }

  async listEvents(userId: number, filter: AlertEventFilter): Promise<{ total: number; items: AlertEventRecord[] }> {
    return this.listEventsTx(this.listStatementsFor(filter), { userId, ...filter });
  }

  async clearEvents(userId: number): Promise<number> {
    return this.deleteUserEvents.run(userId).changes;
  }

  async pruneEvents(before: number, limit: number): Promise<number> {
    return this.pruneTx(before, limit);
  }

  async pendingDeliveries(): Promise<DeliveryRecord[]> {
    return (this.selectPending.all() as SqliteDeliveryRow[]).map(toDelivery);
  }

  async updateDelivery(id: number, update: DeliveryUpdate): Promise<void> {
    this.updateDeliveryTx.immediate(id, update);
  }

  private listStatementsFor(filter: AlertEventFilter): ListStatements {
    const { key, where, order } = eventFilterSql(filter);
    let statements = this.listStatements.get(key);
    if (!statements) {
      statements = {
        page: this.db.prepare(`SELECT * FROM alert_events WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
        count: this.db.prepare(`SELECT count(*) FROM alert_events WHERE ${where}`).pluck(),
      };
      this.listStatements.set(key, statements);
    }
    return statements;
  }
}
