/** WebSocket messages of `/api/v1/live`, a discriminated union on `type` in each direction. */
import { z } from "zod";
import { positiveId } from "./primitives.js";
import { sample } from "./sample.js";

export { LIVE_CLOSE_CODES } from "./live-close-codes.js";

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
