/** HTTP routes of ingestion: POST /ingest (the original agents' path) and POST /api/v1/ingest. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  agentIdParams,
  batchAck,
  batchPayload,
  errorBody,
  MAX_DECOMPRESSED_BODY_BYTES,
  originalAck,
  originalPayload,
  sample,
} from "@statusmonitor/protocol";
import { toAppError } from "../http/error-handler.js";
import { principalOf, requireUser } from "../http/authenticate.js";
import type { AuthService } from "../auth/service.js";
import type { HubMetrics } from "../ops/metrics.js";
import { decodeIngestBody } from "./request-body.js";
import type { IngestService } from "./service.js";

const ingestSchema = {
  tags: ["ingest"],
  summary: "Send samples: one original-agent payload, or a batch `{agent, samples}`",
  description:
    "Authenticated with the `X-Agent-Token` header. Bodies up to 1 MiB, optionally `Content-Encoding: gzip`. " +
    'An original payload is answered `{"status":"received"}`; a batch also gets how many samples were new and the ' +
    "newest timestamp stored durably.",
  headers: z.object({ "x-agent-token": z.string().optional() }),
  body: z.union([batchPayload, originalPayload]),
  response: { 200: z.union([batchAck, originalAck]), 400: errorBody, 401: errorBody, 413: errorBody, 415: errorBody, 429: errorBody },
};

export function ingestRoutes(app: FastifyInstance, o: { ingest: IngestService; metrics: HubMetrics }): void {
  const handler = async (request: FastifyRequest) => {
    const started = performance.now();
    const token = request.headers["x-agent-token"];
    const result = await o.ingest.ingest(Array.isArray(token) ? token[0] : token, request.body);
    o.metrics.ingestRequests.inc({ format: result.format });
    o.metrics.ingestSamples.inc({ outcome: "stored" }, result.ack.stored);
    o.metrics.ingestSamples.inc({ outcome: "duplicate" }, result.ack.duplicates);
    o.metrics.ingestAckSeconds.observe((performance.now() - started) / 1000);
    return result.format === "original" ? { status: "received" as const } : result.ack;
  };
  const options = {
    schema: ingestSchema,
    bodyLimit: MAX_DECOMPRESSED_BODY_BYTES,
    preParsing: decodeIngestBody,
    // The body is validated by the service, which knows which format it is and names the failing field.
    validatorCompiler: () => (value: unknown) => ({ value }),
    // The service builds the answer from the protocol types; re-checking it per request is pure cost.
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    // Acknowledgements are a few dozen bytes: keep the compression hook off the hottest path.
    compress: false as const,
    // Counts every rejection, including those of the body parser (bad JSON, too large).
    onError: async (_request: FastifyRequest, _reply: unknown, error: Error) => {
      o.metrics.ingestRejects.inc({ reason: toAppError(error).code });
    },
  };
  app.post("/ingest", options, handler);
  app.post("/api/v1/ingest", options, handler);
}

export function latestRoutes(app: FastifyInstance, o: { ingest: IngestService; auth: AuthService }): void {
  app.get(
    "/api/v1/agents/:id/latest",
    {
      onRequest: requireUser(o.auth),
      schema: {
        tags: ["agents"],
        summary: "The newest normalized sample of an agent",
        security: [{ bearer: [] }],
        params: agentIdParams,
        response: { 200: sample, 401: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { id } = agentIdParams.parse(request.params);
      return o.ingest.latest(principalOf(request).userId, id);
    },
  );
}
