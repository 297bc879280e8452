/** Bodies of the agent-management endpoints. */
import { z } from "zod";
import { epochMs, isoDateTime, positiveId } from "../primitives.js";

export const agentName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters");

export const agentStatus = z.enum(["pending", "online", "offline"]);
export type AgentStatus = z.infer<typeof agentStatus>;

export const createAgentRequest = z.object({ name: agentName });
export const updateAgentRequest = z.object({ name: agentName });

export const agent = z.object({
  id: positiveId,
  name: z.string(),
  status: agentStatus,
  created_at: isoDateTime,
  last_seen: isoDateTime.nullable(),
  token_activated: z.boolean(),
  /** End of the activation window; null once the token has been used. */
  token_expires_at: isoDateTime.nullable(),
  /** Typical time between samples, learned from the agent's data. */
  interval_s: z.number().positive().nullable(),
  hostname: z.string().nullable(),
  os: z.string().nullable(),
  arch: z.string().nullable(),
  agent_version: z.string().nullable(),
  boot_time: isoDateTime.nullable(),
  /** Newest sample time stored durably (epoch ms). */
  newest_sample_at: epochMs.nullable(),
});
export const agentList = z.array(agent);
/** Answer to create and regenerate: the only time the token is ever shown. */
export const agentWithToken = agent.extend({ token: z.string() });
export const agentIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export type Agent = z.infer<typeof agent>;
export type AgentWithToken = z.infer<typeof agentWithToken>;
