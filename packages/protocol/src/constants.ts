/**
 * The protocol's run-time values without zod: limits, the tier table, alert-rule checks and live close
 * codes. The dashboard imports values from here (types from the main entry) so its bundle carries no zod.
 */
export * from "./limits.js";
export * from "./tiers.js";
export * from "./alert-rules.js";
export * from "./live-close-codes.js";
