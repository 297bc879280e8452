/** Bodies of the alert endpoints: rules (with per-metric limits), channels, the test message and the event log. */
import { z } from "zod";
import {
  ALERT_METRICS,
  ALERT_OPERATORS,
  DEFAULT_ALERT_COOLDOWN_S,
  MAX_ALERT_DURATION_S,
  alertRuleProblems,
  type AlertOperator,
  type AlertRuleShape,
} from "../alert-rules.js";
import { isoDateTime, positiveId } from "../primitives.js";

export const alertMetric = z.enum(ALERT_METRICS);
export const alertOperator = z.enum(ALERT_OPERATORS);

const ruleFields = {
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  /** One agent, or null for all of the caller's agents (including ones added later). */
  agent_id: positiveId.nullable(),
  metric: alertMetric,
  operator: alertOperator,
  threshold: z.number().finite(),
  /** Only for `disk`: watch this mountpoint; null watches the fullest disk. */
  mountpoint: z.string().min(1).max(4096).nullable(),
  /** How long the condition must hold before the alert fires (0: at the first breaching sample). */
  duration_s: z.number().int().min(0).max(MAX_ALERT_DURATION_S),
  /** The least time between two firing notifications of one rule for one agent. */
  cooldown_s: z.number().int().min(0).max(MAX_ALERT_DURATION_S),
  enabled: z.boolean(),
};

function checkRule(rule: AlertRuleShape, ctx: z.RefinementCtx): void {
  for (const problem of alertRuleProblems(rule)) ctx.addIssue({ code: "custom", path: [problem.path], message: problem.message });
}

/** POST /alerts/rules. `operator` and `threshold` may be left out only for `offline` (`>` and automatic). */
export const alertRuleInput = z
  .object({
    ...ruleFields,
    name: ruleFields.name.optional(),
    operator: alertOperator.optional(),
    threshold: ruleFields.threshold.optional(),
    mountpoint: ruleFields.mountpoint.default(null),
    duration_s: ruleFields.duration_s.default(0),
    cooldown_s: ruleFields.cooldown_s.default(DEFAULT_ALERT_COOLDOWN_S),
    enabled: ruleFields.enabled.default(true),
  })
  .superRefine((rule, ctx) => {
    if (rule.metric !== "offline") {
      if (rule.operator === undefined) ctx.addIssue({ code: "custom", path: ["operator"], message: "is required" });
      if (rule.threshold === undefined) ctx.addIssue({ code: "custom", path: ["threshold"], message: "is required" });
    }
    checkRule(completeAlertRule(rule), ctx);
  });
/** Fills what an `offline` rule may leave out: operator `>`, threshold 0 (automatic). */
export function completeAlertRule<T extends { operator?: AlertOperator; threshold?: number }>(
  rule: T,
): T & { operator: AlertOperator; threshold: number } {
  return { ...rule, operator: rule.operator ?? ">", threshold: rule.threshold ?? 0 };
}
/** PATCH /alerts/rules/:id: any subset; the merged rule is checked with `alertRuleProblems`. */
export const alertRulePatch = z
  .object(ruleFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: "must change at least one field" });
export const alertRuleIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const alertRule = z.object({
  ...ruleFields,
  id: positiveId,
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export const alertRuleList = z.array(alertRule);

/** A Telegram chat id: a number (groups and channels are negative) or a public @channel name. */
const telegramChatId = z
  .string()
  .trim()
  .max(64)
  .regex(/^$|^-?\d{1,20}$|^@[A-Za-z][A-Za-z0-9_]{4,31}$/, "must be a numeric chat id or an @channel name");
const webhookUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((url) => url === "" || /^https?:\/\/[^\s]+$/i.test(url) && URL.canParse(url), "must be an http:// or https:// URL");

/** PUT /alerts/channels (and the optional body of POST /alerts/channels/test). Either part may be left out. */
export const alertChannelsInput = z.object({
  telegram: z
    .object({ chat_id: telegramChatId, enabled: z.boolean() })
    .refine((t) => !t.enabled || t.chat_id !== "", { path: ["chat_id"], message: "is required to enable Telegram" })
    .optional(),
  webhook: z
    .object({
      url: webhookUrl,
      /** Signs each request (HMAC-SHA256). Left out: keep the stored one; null or "": remove it. */
      secret: z.string().max(256).nullable().optional(),
      enabled: z.boolean(),
    })
    .refine((w) => !w.enabled || w.url !== "", { path: ["url"], message: "is required to enable the webhook" })
    .optional(),
});
/** The stored settings; the webhook secret is never shown, only whether there is one. */
export const alertChannels = z.object({
  telegram: z.object({
    chat_id: z.string(),
    enabled: z.boolean(),
    /** False when the hub has no TELEGRAM_BOT_TOKEN: nothing can be sent to Telegram. */
    available: z.boolean(),
  }),
  webhook: z.object({ url: z.string(), enabled: z.boolean(), has_secret: z.boolean() }),
});
export const channelName = z.enum(["telegram", "webhook"]);
export const channelTestResult = z.object({
  results: z.array(z.object({ channel: channelName, ok: z.boolean(), error: z.string().optional() })),
});

export const alertState = z.enum(["firing", "resolved"]);
/**
 * `suppressed`: inside the rule's cooldown, so no message was sent (and none for its resolution);
 * `no_channel`: the owner has no enabled channel; `failed`: a channel gave up (see `deliveries`).
 */
export const deliveryStatus = z.enum(["pending", "sent", "failed", "no_channel", "suppressed"]);
export const alertEvent = z.object({
  id: positiveId,
  rule_id: positiveId.nullable(),
  rule_name: z.string().nullable(),
  agent_id: positiveId,
  agent_name: z.string(),
  metric: alertMetric,
  operator: alertOperator,
  threshold: z.number(),
  value: z.number().nullable(),
  mountpoint: z.string().nullable(),
  state: alertState,
  message: z.string(),
  delivery: deliveryStatus,
  deliveries: z.array(
    z.object({
      channel: channelName,
      status: z.enum(["pending", "sent", "failed"]),
      attempts: z.number().int().min(0),
      error: z.string().nullable(),
    }),
  ),
  at: isoDateTime,
});
export const alertEventQuery = z
  .object({
    agent_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    metric: alertMetric.optional(),
    state: alertState.optional(),
    /** RFC 3339; events at or after `from` and before `to`. */
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    sort: z.enum(["newest", "oldest"]).default("newest"),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ["to"], message: "must not be before from" });
export const alertEventPage = z.object({ total: z.number().int().min(0), items: z.array(alertEvent) });
export const clearedEvents = z.object({ removed: z.number().int().min(0) });

export type AlertRule = z.infer<typeof alertRule>;
export type AlertRuleInput = z.output<typeof alertRuleInput>;
export type AlertRulePatch = z.infer<typeof alertRulePatch>;
export type AlertChannelsInput = z.infer<typeof alertChannelsInput>;
export type AlertChannels = z.infer<typeof alertChannels>;
export type AlertEvent = z.infer<typeof alertEvent>;
export type AlertEventQuery = z.output<typeof alertEventQuery>;
export type ChannelName = z.infer<typeof channelName>;
export type DeliveryStatus = z.infer<typeof deliveryStatus>;
