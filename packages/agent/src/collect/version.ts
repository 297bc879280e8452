/** The agent's own version, reported to the hub in the host facts of every batch. */
export const VERSION = "0.1.0";
