/** The WebSocket close codes of `/api/v1/live` besides the standard ones (zod-free, so the dashboard can bundle it alone). */
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
