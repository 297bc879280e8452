/** What live streaming needs: single-use tickets that authorize one WebSocket connection. */

export interface LiveGrant {
  userId: number;
  sessionId: string;
  /** One agent, or null for all of the user's agents. */
  agentId: number | null;
}
