/** What the alerts capability needs from storage: rules, per-(rule, agent) state, channel settings, the event log and the delivery queue. */
import type { AlertMetric, AlertOperator, ChannelName, DeliveryStatus } from "@statusmonitor/protocol";
import type { NotificationMessage } from "./messages.js";
import type { AlertState } from "./state-machine.js";

export interface AlertRuleRecord {
  id: number;
  userId: number;
  name: string;
  /** Null: every agent of the owner, including ones added later. */
  agentId: number | null;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
  mountpoint: string | null;
  durationS: number;
  cooldownS: number;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewAlertRule = Omit<AlertRuleRecord, "id" | "createdAt" | "updatedAt">;
export type AlertRuleChanges = Partial<Omit<NewAlertRule, "userId">>;

export interface AlertStateEntry {
  ruleId: number;
  agentId: number;
  state: AlertState;
}

/** A user's channel settings as stored. `secretSealed` is the webhook secret encrypted with the hub's key. */
export interface ChannelSettings {
  telegram: { chatId: string; enabled: boolean };
  webhook: { url: string; secretSealed: string | null; enabled: boolean };
}

export const NO_CHANNELS: ChannelSettings = {
  telegram: { chatId: "", enabled: false },
  webhook: { url: "", secretSealed: null, enabled: false },
};

export interface NewAlertEvent {
  userId: number;
  ruleId: number;
  ruleName: string;
  agentId: number;
  agentName: string;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
  value: number | null;
  mountpoint: string | null;
  state: "firing" | "resolved";
  /** The plain-text message (what was or would have been sent). */
  message: string;
  /** `pending` when deliveries are queued with it; otherwise `no_channel` or `suppressed`. */
  delivery: DeliveryStatus;
  /** Epoch ms of the transition. */
  at: number;
}

export interface DeliverySummary {
  channel: ChannelName;
  status: DeliveryRecord["status"];
  attempts: number;
  lastError: string | null;
}

export interface AlertEventRecord extends Omit<NewAlertEvent, "ruleId"> {
  id: number;
  /** Null once the rule has been deleted. */
  ruleId: number | null;
  deliveries: DeliverySummary[];
}

export interface NewDelivery {
  userId: number;
  channel: ChannelName;
  message: NotificationMessage;
  createdAt: number;
}

/** One message to one channel of one user, retried until sent or given up. */
export interface DeliveryRecord extends NewDelivery {
  id: number;
  /** Null for deliveries whose event was cleared from the log (they are still sent). */
  eventId: number | null;
  status: "pending" | "sent" | "failed";
  attempts: number;
  firstTriedAt: number | null;
  nextAttemptAt: number;
  lastError: string | null;
  finishedAt: number | null;
}

export type DeliveryUpdate = Pick<DeliveryRecord, "status" | "attempts" | "firstTriedAt" | "nextAttemptAt" | "lastError" | "finishedAt">;

export interface AlertEventFilter {
  agentId?: number;
  metric?: AlertMetric;
  state?: "firing" | "resolved";
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  sort: "newest" | "oldest";
  limit: number;
  offset: number;
}

export interface AlertStore {
  createRule(rule: NewAlertRule, now: number): Promise<AlertRuleRecord>;
  /**
   * Creates the rule unless its owner already has `maxRules` rules (undefined then). The count and
   * the insert are one atomic step, so concurrent requests on several API instances cannot overshoot.
   */
  createRuleWithinLimit(rule: NewAlertRule, now: number, maxRules: number): Promise<AlertRuleRecord | undefined>;
  /** The owner's rules, oldest first. */
  listRules(userId: number): Promise<AlertRuleRecord[]>;
  getRule(userId: number, id: number): Promise<AlertRuleRecord | undefined>;
  countRules(userId: number): Promise<number>;
  /** Undefined when the rule does not exist or belongs to someone else. */
  updateRule(userId: number, id: number, changes: AlertRuleChanges, now: number): Promise<AlertRuleRecord | undefined>;
  /** Deletes the rule and its states; its events stay, with `ruleId` null. */
  deleteRule(userId: number, id: number): Promise<boolean>;
  /** Every enabled rule of every user (what an evaluator loads at start). */
  listEnabledRules(): Promise<AlertRuleRecord[]>;

  loadStates(): Promise<AlertStateEntry[]>;
  /** Upserts; entries whose rule or agent no longer exists are skipped, not an error. */
  saveStates(entries: AlertStateEntry[]): Promise<void>;
  /** Forgets a rule's states, for every agent or one. */
  deleteStates(ruleId: number, agentId?: number): Promise<void>;

  /** NO_CHANNELS when the user never saved any. */
  getChannels(userId: number): Promise<ChannelSettings>;
  saveChannels(userId: number, settings: ChannelSettings, now: number): Promise<void>;

  /**
   * In one transaction: saves the state, appends the event and queues its deliveries (linked to
   * it), so a restart can neither forget an incident nor announce it twice. Skipped (undefined)
   * when the rule or the agent has been deleted meanwhile.
   */
  recordTransition(input: {
    state: AlertStateEntry;
    event: NewAlertEvent;
    deliveries: NewDelivery[];
  }): Promise<{ event: AlertEventRecord; deliveries: DeliveryRecord[] } | undefined>;
  listEvents(userId: number, filter: AlertEventFilter): Promise<{ total: number; items: AlertEventRecord[] }>;
  /** Removes the user's events (their queued deliveries still go out). Returns how many. */
  clearEvents(userId: number): Promise<number>;
  /** Removes events older than `before` and finished deliveries older than it, at most `limit` of each. */
  pruneEvents(before: number, limit: number): Promise<number>;

  /** Every pending delivery, oldest (lowest id) first. */
  pendingDeliveries(): Promise<DeliveryRecord[]>;
  /**
   * Records an attempt's outcome and, in the same transaction, the event's overall status:
   * `pending` while any of its deliveries is, then `failed` if any failed, else `sent`.
   */
  updateDelivery(id: number, update: DeliveryUpdate): Promise<void>;
}
