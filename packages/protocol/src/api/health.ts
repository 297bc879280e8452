/** The health endpoint's body: overall status and one entry per component. */
import { z } from "zod";

export const componentStatus = z.enum(["ok", "degraded", "down"]);
export const healthResponse = z.object({
  status: componentStatus,
  version: z.string(),
  roles: z.array(z.string()),
  uptime_s: z.number(),
  components: z.record(z.string(), z.object({ status: componentStatus, detail: z.string().optional() })),
});
export type HealthResponse = z.infer<typeof healthResponse>;
export type ComponentStatus = z.infer<typeof componentStatus>;
