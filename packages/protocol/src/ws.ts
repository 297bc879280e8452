/** WebSocket messages of `/api/v1/live`, a discriminated union on `type` in each direction. */
import { z } from "zod";
import { positiveId } from "./primitives.js";
import { sample } from "./sample.js";

/** Close codes the hub uses besides the standard ones. */
export const LIVE_CLOSE_CODES = {
  /** The session was logged out or revoked. */
  SESSION_ENDED: 4001,
  /** The subscribed agent was deleted (or never belonged to the caller). */
  AGENT_GONE: 4004,
  /** The client could not keep up with the stream. */
  TOO_SLOW: 4008,
  /** The client sent something the hub does not understand. */
  BAD_MESSAGE: 4000,
} as const;

export const serverMessage = z.discriminatedUnion("type", [
  /** First message after connect: who is subscribed to what. */
  z.object({ type: z.literal("ready"), agent_id: positiveId.nullable() }),
  z.object({ type: z.literal("sample"), agent_id: positiveId, sample }),
  z.object({ type: z.literal("agent_deleted"), agent_id: positiveId }),
  z.object({ type: z.literal("pong"), nonce: z.string().max(64).optional() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);

export const clientMessage = z.discriminatedUnion("type", [
  /** Replace the subscription: one agent, or null for all of the caller's agents. */
  z.object({ type: z.literal("subscribe"), agent_id: positiveId.nullable() }),
  z.object({ type: z.literal("ping"), nonce: z.string().max(64).optional() }),
]);

export type ServerMessage = z.infer<typeof serverMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;
