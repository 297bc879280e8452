/** Bodies of the alert endpoints: rules, channels and the event log (served by the alerts capability). */
import { z } from "zod";
import { isoDateTime, positiveId } from "../primitives.js";

export const alertMetric = z.enum(["cpu", "memory", "disk", "load1", "network_rx", "network_tx", "offline"]);
export const alertOperator = z.enum([">", ">=", "<", "<="]);
export const alertRuleInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  /** One agent, or null for all of the caller's agents. */
  agent_id: positiveId.nullable(),
  metric: alertMetric,
  operator: alertOperator,
  threshold: z.number(),
  mountpoint: z.string().max(4096).nullable().optional(),
  duration_s: z.number().int().min(0).max(86_400).default(0),
  cooldown_s: z.number().int().min(0).max(86_400).default(300),
  enabled: z.boolean().default(true),
});
export const alertRulePatch = alertRuleInput.partial();
export const alertRule = alertRuleInput.extend({
  id: positiveId,
  name: z.string(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export const alertChannels = z.object({
  telegram: z.object({ chat_id: z.string().max(64), enabled: z.boolean() }).optional(),
  webhook: z
    .object({ url: z.string().url().max(2048), secret: z.string().max(256).optional(), enabled: z.boolean() })
    .optional(),
});
export const alertState = z.enum(["firing", "resolved"]);
export const deliveryStatus = z.enum(["pending", "sent", "failed", "no_channel"]);
export const alertEvent = z.object({
  id: positiveId,
  rule_id: positiveId.nullable(),
  agent_id: positiveId,
  agent_name: z.string(),
  metric: alertMetric,
  operator: alertOperator,
  threshold: z.number(),
  value: z.number().nullable(),
  state: alertState,
  message: z.string(),
  delivery: deliveryStatus,
  at: isoDateTime,
});
export const alertEventQuery = z.object({
  agent_id: z.coerce.number().int().positive().optional(),
  metric: alertMetric.optional(),
  state: alertState.optional(),
  sort: z.enum(["newest", "oldest"]).default("newest"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const alertEventPage = z.object({ total: z.number().int().min(0), items: z.array(alertEvent) });
export type AlertRule = z.infer<typeof alertRule>;
export type AlertRuleInput = z.infer<typeof alertRuleInput>;
export type AlertChannels = z.infer<typeof alertChannels>;
export type AlertEvent = z.infer<typeof alertEvent>;
