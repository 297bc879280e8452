/** The alerts API's logic: rules (owned, validated per metric), channel settings, the test message and the event log. */
import {
  alertRuleProblems,
  completeAlertRule,
  defaultRuleName,
  MAX_ALERT_RULES_PER_USER,
  type AlertChannels,
  type AlertChannelsInput,
  type AlertEventQuery,
  type AlertRuleInput,
  type AlertRulePatch,
  type ChannelName,
} from "@statusmonitor/protocol";
import type { AgentsService } from "../agents/service.js";
import type { Throttle } from "../auth/throttle.js";
import { AppError } from "../core/app-error.js";
import type { Bus } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { SecretBox } from "../core/secret-box.js";
import { validationError } from "../core/validation.js";
import { testMessage } from "./messages.js";
import type { AlertEventRecord, AlertRuleChanges, AlertRuleRecord, AlertStore, ChannelSettings } from "./ports.js";
import type { UserChannels } from "./user-channels.js";

export class AlertsService {
  constructor(
    private readonly o: {
      store: AlertStore;
      agents: AgentsService;
      channels: UserChannels;
      secrets: SecretBox;
      bus: Bus;
      clock: Clock;
      /** Limits test messages per user, so the endpoint cannot be used to spam a chat or a URL. */
      testThrottle: Throttle;
    },
  ) {}

  listRules(userId: number): Promise<AlertRuleRecord[]> {
    return this.o.store.listRules(userId);
  }

  async createRule(userId: number, input: AlertRuleInput): Promise<AlertRuleRecord> {
    const rule = completeAlertRule(input);
    if (rule.agent_id !== null) await this.o.agents.get(userId, rule.agent_id);
    const record = await this.o.store.createRuleWithinLimit(
      {
        userId,
        name: rule.name ?? defaultRuleName(rule),
        agentId: rule.agent_id,
        metric: rule.metric,
        operator: rule.operator,
        threshold: rule.threshold,
        mountpoint: rule.mountpoint,
        durationS: rule.duration_s,
        cooldownS: rule.cooldown_s,
        enabled: rule.enabled,
      },
      this.o.clock.now(),
      MAX_ALERT_RULES_PER_USER,
    );
    if (!record) throw new AppError("ALERT_RULE_LIMIT");
    await this.rulesChanged(userId);
    return record;
  }

  async updateRule(userId: number, id: number, patch: AlertRulePatch): Promise<AlertRuleRecord> {
    const current = await this.o.store.getRule(userId, id);
    if (!current) throw new AppError("ALERT_RULE_NOT_FOUND");
    if (patch.agent_id !== undefined && patch.agent_id !== null) await this.o.agents.get(userId, patch.agent_id);
    const changes: AlertRuleChanges = {
      name: patch.name,
      agentId: patch.agent_id,
      metric: patch.metric,
      operator: patch.operator,
      threshold: patch.threshold,
      mountpoint: patch.mountpoint,
      durationS: patch.duration_s,
      cooldownS: patch.cooldown_s,
      enabled: patch.enabled,
    };
    for (const key of Object.keys(changes) as (keyof AlertRuleChanges)[]) if (changes[key] === undefined) delete changes[key];
    const merged = { ...current, ...changes };
    // A rule moved off `disk` drops its mountpoint rather than becoming invalid.
    if (patch.metric !== undefined && patch.metric !== "disk" && patch.mountpoint === undefined) merged.mountpoint = changes.mountpoint = null;
    const problems = alertRuleProblems(merged);
    // Named like the schema's own issues (`body.threshold`), since the client sent them as body fields.
    if (problems.length > 0) throw validationError(problems.map((p) => ({ path: [p.path], message: p.message })), "body");
    const updated = await this.o.store.updateRule(userId, id, changes, this.o.clock.now());
    if (!updated) throw new AppError("ALERT_RULE_NOT_FOUND");
    await this.rulesChanged(userId);
    return updated;
  }

  async deleteRule(userId: number, id: number): Promise<void> {
    if (!(await this.o.store.deleteRule(userId, id))) throw new AppError("ALERT_RULE_NOT_FOUND");
    await this.rulesChanged(userId);
  }

  async getChannels(userId: number): Promise<AlertChannels> {
    return this.present(await this.o.store.getChannels(userId));
  }

  async saveChannels(userId: number, input: AlertChannelsInput): Promise<AlertChannels> {
    const settings = this.merge(await this.o.store.getChannels(userId), input);
    await this.o.store.saveChannels(userId, settings, this.o.clock.now());
    return this.present(settings);
  }

  /**
   * Sends a test message through each enabled channel, with the saved settings or, when given,
   * with settings not saved yet; answers with each channel's outcome (the far side's reply is
   * summarised, never forwarded).
   */
  async testChannels(userId: number, input: AlertChannelsInput | undefined): Promise<{ channel: ChannelName; ok: boolean; error?: string }[]> {
    await this.o.testThrottle.hit(String(userId));
    const saved = await this.o.store.getChannels(userId);
    const settings = input ? this.merge(saved, input) : saved;
    const channels = this.o.channels.enabled(settings);
    if (channels.length === 0) {
      if (settings.telegram.enabled && !this.o.channels.telegramAvailable) throw new AppError("TELEGRAM_NOT_CONFIGURED");
      throw new AppError("NO_CHANNEL_ENABLED");
    }
    const message = testMessage(this.o.clock.now());
    return Promise.all(
      channels.map(async (channel) => {
        const result = await this.o.channels.sendWith(settings, channel, message);
        return result.ok ? { channel, ok: true } : { channel, ok: false, error: result.error };
      }),
    );
  }

  listEvents(userId: number, query: AlertEventQuery): Promise<{ total: number; items: AlertEventRecord[] }> {
    return this.o.store.listEvents(userId, {
      agentId: query.agent_id,
      metric: query.metric,
      state: query.state,
      from: query.from === undefined ? undefined : Date.parse(query.from),
      to: query.to === undefined ? undefined : Date.parse(query.to),
      sort: query.sort,
      limit: query.limit,
      offset: query.offset,
    });
  }

  clearEvents(userId: number): Promise<number> {
    return this.o.store.clearEvents(userId);
  }

  private merge(current: ChannelSettings, input: AlertChannelsInput): ChannelSettings {
    const telegram = input.telegram ? { chatId: input.telegram.chat_id, enabled: input.telegram.enabled } : current.telegram;
    let webhook = current.webhook;
    if (input.webhook) {
      const { url, secret, enabled } = input.webhook;
      const secretSealed = secret === undefined ? current.webhook.secretSealed : secret === null || secret === "" ? null : this.o.secrets.seal(secret);
      webhook = { url, enabled, secretSealed };
    }
    return { telegram, webhook };
  }

  private present(settings: ChannelSettings): AlertChannels {
    return {
      telegram: { chat_id: settings.telegram.chatId, enabled: settings.telegram.enabled, available: this.o.channels.telegramAvailable },
      webhook: { url: settings.webhook.url, enabled: settings.webhook.enabled, has_secret: settings.webhook.secretSealed !== null },
    };
  }

  private rulesChanged(userId: number): Promise<void> {
    return this.o.bus.publishControl({ type: "alert_rules_changed", user_id: userId });
  }
}
