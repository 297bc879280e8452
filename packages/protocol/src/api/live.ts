/** Bodies of the live-streaming ticket endpoint. */
import { z } from "zod";
import { positiveId } from "../primitives.js";

/** A ticket for one agent, or for all of the caller's agents when `agent_id` is omitted or null. */
export const liveTicketRequest = z.object({ agent_id: positiveId.nullable().optional() });
export const liveTicket = z.object({
  ticket: z.string(),
  /** Seconds the ticket stays valid; it can be used once. */
  expires_in: z.number().int().positive(),
});
export type LiveTicketRequest = z.infer<typeof liveTicketRequest>;
export type LiveTicket = z.infer<typeof liveTicket>;
