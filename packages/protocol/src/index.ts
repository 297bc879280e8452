/** Public surface of the protocol package: every schema, type and constant on the wire. */
export * from "./errors.js";
export * from "./limits.js";
export * from "./primitives.js";
export * from "./original-payload.js";
export * from "./sample.js";
export * from "./batch-payload.js";
export * from "./tiers.js";
export * from "./alert-rules.js";
export * from "./ws.js";
export * from "./api/auth.js";
export * from "./api/agents.js";
export * from "./api/live.js";
export * from "./api/history.js";
export * from "./api/alerts.js";
export * from "./api/health.js";
