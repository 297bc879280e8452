/** HTTP routes of alerts under /api/v1/alerts: rules, channels (and their test), the event log; all scoped to the caller. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  alertChannels,
  alertChannelsInput,
  alertEventPage,
  alertEventQuery,
  alertRule,
  alertRuleIdParams,
  alertRuleInput,
  alertRuleList,
  alertRulePatch,
  channelTestResult,
  clearedEvents,
  errorBody,
  type AlertEvent,
  type AlertRule,
} from "@statusmonitor/protocol";
import type { AuthService } from "../auth/service.js";
import { principalOf, requireUser } from "../http/authenticate.js";
import type { AlertEventRecord, AlertRuleRecord } from "./ports.js";
import type { AlertsService } from "./service.js";

const iso = (ms: number) => new Date(ms).toISOString();

export const toRuleResponse = (r: AlertRuleRecord): AlertRule => ({
  id: r.id,
  name: r.name,
  agent_id: r.agentId,
  metric: r.metric,
  operator: r.operator,
  threshold: r.threshold,
  mountpoint: r.mountpoint,
  duration_s: r.durationS,
  cooldown_s: r.cooldownS,
  enabled: r.enabled,
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
});

export const toEventResponse = (e: AlertEventRecord): AlertEvent => ({
  id: e.id,
  rule_id: e.ruleId,
  rule_name: e.ruleName,
  agent_id: e.agentId,
  agent_name: e.agentName,
  metric: e.metric,
  operator: e.operator,
  threshold: e.threshold,
  value: e.value,
  mountpoint: e.mountpoint,
  state: e.state,
  message: e.message,
  delivery: e.delivery,
  deliveries: e.deliveries.map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, error: d.lastError })),
  at: iso(e.at),
});

export const alertsRoutes: FastifyPluginAsyncZod<{ alerts: AlertsService; auth: AuthService }> = async (app, { alerts, auth }) => {
  app.addHook("onRequest", requireUser(auth));
  const tags = ["alerts"];
  const security = [{ bearer: [] }];
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody };

  app.get("/alerts/rules", { schema: { tags, security, summary: "Your alert rules, enabled or not", response: { 200: alertRuleList, 401: errorBody } } }, async (request) =>
    (await alerts.listRules(principalOf(request).userId)).map(toRuleResponse),
  );

  app.post(
    "/alerts/rules",
    {
      schema: {
        tags,
        security,
        summary: "Create a rule for one of your agents (agent_id) or all of them (null)",
        body: alertRuleInput,
        response: { 201: alertRule, 409: errorBody, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(toRuleResponse(await alerts.createRule(principalOf(request).userId, request.body))),
  );

  app.patch(
    "/alerts/rules/:id",
    {
      schema: { tags, security, summary: "Change any fields of a rule (enable, disable, re-aim)", params: alertRuleIdParams, body: alertRulePatch, response: { 200: alertRule, ...errors } },
    },
    async (request) => toRuleResponse(await alerts.updateRule(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    "/alerts/rules/:id",
    { schema: { tags, security, summary: "Delete a rule (its events stay in the log)", params: alertRuleIdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await alerts.deleteRule(principalOf(request).userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get("/alerts/channels", { schema: { tags, security, summary: "Your notification channels (the webhook secret is never shown)", response: { 200: alertChannels, 401: errorBody } } }, async (request) =>
    alerts.getChannels(principalOf(request).userId),
  );

  app.put(
    "/alerts/channels",
    { schema: { tags, security, summary: "Save Telegram and/or webhook settings; a part left out is kept", body: alertChannelsInput, response: { 200: alertChannels, ...errors } } },
    async (request) => alerts.saveChannels(principalOf(request).userId, request.body),
  );

  app.post(
    "/alerts/channels/test",
    {
      schema: {
        tags,
        security,
        summary: "Send a test message through each enabled channel (saved settings, or the ones in the body)",
        body: alertChannelsInput.nullish(),
        response: { 200: channelTestResult, 409: errorBody, ...errors },
      },
    },
    async (request) => ({ results: await alerts.testChannels(principalOf(request).userId, request.body ?? undefined) }),
  );

  app.get(
    "/alerts/events",
    { schema: { tags, security, summary: "The event log: firings and resolutions with their delivery status", querystring: alertEventQuery, response: { 200: alertEventPage, ...errors } } },
    async (request) => {
      const page = await alerts.listEvents(principalOf(request).userId, request.query);
      return { total: page.total, items: page.items.map(toEventResponse) };
    },
  );

  app.delete("/alerts/events", { schema: { tags, security, summary: "Clear your event log", response: { 200: clearedEvents, 401: errorBody } } }, async (request) => ({
    removed: await alerts.clearEvents(principalOf(request).userId),
  }));
};
