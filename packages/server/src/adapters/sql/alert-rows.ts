/**
 * The rows of the alert_rules, alert_channels, alert_events and alert_deliveries tables and their
 * records, as both adapters read them once the dialect's own encodings are undone: SQLite keeps
 * flags as 0/1 and messages as JSON text, so its adapter normalises a row before mapping it.
 */
import type { AlertMetric, AlertOperator, ChannelName, DeliveryStatus } from "@statusmonitor/protocol";
import type { NotificationMessage } from "../../alerts/messages.js";
import {
  NO_CHANNELS,
  type AlertEventRecord,
  type AlertRuleRecord,
  type ChannelSettings,
  type DeliveryRecord,
  type DeliverySummary,
} from "../../alerts/ports.js";

export interface RuleRow {
  id: number;
  user_id: number;
  name: string;
  agent_id: number | null;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
  mountpoint: string | null;
  duration_s: number;
  cooldown_s: number;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

export interface ChannelRow {
  telegram_chat_id: string;
  telegram_enabled: boolean;
  webhook_url: string;
  webhook_secret: string | null;
  webhook_enabled: boolean;
}

export interface EventRow {
  id: number;
  user_id: number;
  rule_id: number | null;
  rule_name: string;
  agent_id: number;
  agent_name: string;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
  value: number | null;
  mountpoint: string | null;
  state: AlertEventRecord["state"];
  message: string;
  delivery: DeliveryStatus;
  at: number;
}

export interface DeliveryRow {
  id: number;
  event_id: number | null;
  user_id: number;
  channel: ChannelName;
  /** Parsed: PostgreSQL's driver parses JSONB, the SQLite adapter parses its JSON text. */
  message: NotificationMessage;
  status: DeliveryRecord["status"];
  attempts: number;
  first_tried_at: number | null;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export const toAlertRuleRecord = (r: RuleRow): AlertRuleRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  agentId: r.agent_id,
  metric: r.metric,
  operator: r.operator,
  threshold: r.threshold,
  mountpoint: r.mountpoint,
  durationS: r.duration_s,
  cooldownS: r.cooldown_s,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A user's saved channels, or NO_CHANNELS (copied, so callers may change it) when there is no row. */
export const toChannelSettings = (row: ChannelRow | undefined): ChannelSettings =>
  row
    ? {
        telegram: { chatId: row.telegram_chat_id, enabled: row.telegram_enabled },
        webhook: { url: row.webhook_url, secretSealed: row.webhook_secret, enabled: row.webhook_enabled },
      }
    : { telegram: { ...NO_CHANNELS.telegram }, webhook: { ...NO_CHANNELS.webhook } };

export const toAlertEventRecord = (r: EventRow, deliveries: DeliverySummary[]): AlertEventRecord => ({
  id: r.id,
  userId: r.user_id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  agentId: r.agent_id,
  agentName: r.agent_name,
  metric: r.metric,
  operator: r.operator,
  threshold: r.threshold,
  value: r.value,
  mountpoint: r.mountpoint,
  state: r.state,
  message: r.message,
  delivery: r.delivery,
  deliveries,
  at: r.at,
});

export const toDeliveryRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  eventId: r.event_id,
  userId: r.user_id,
  channel: r.channel,
  message: r.message,
  status: r.status,
  attempts: r.attempts,
  firstTriedAt: r.first_tried_at,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});
