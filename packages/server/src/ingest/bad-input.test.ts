/** Hostile and broken request bodies: each gets a 4xx catalog error naming the problem, and the hub keeps serving afterwards. */
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { errorBody, errorCatalog, MAX_BODY_BYTES, MAX_SAMPLES_PER_BATCH } from "@statusmonitor/protocol";
import { createAgent, signUp, useTestHub, type SignedUp } from "../test-support/test-hub.js";

type Json = Record<string, any>;

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

const DAY = 24 * 3600_000;
const nowS = () => Date.now() / 1000;

/** A JSON document of exactly `size` bytes, padded with an unknown field. */
function jsonOfSize(size: number, fields: Json): string {
  const head = JSON.stringify({ ...fields, pad: "" });
  return head.replace('"pad":""', `"pad":"${"x".repeat(size - head.length)}"`);
}

describe("bad input", () => {
  const ctx = useTestHub({ settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let user: SignedUp;
  let token: string;
  let probeToken: string;
  let probeAt = Date.now() - 3600_000;

  beforeAll(async () => {
    user = await signUp(ctx.url, "mallory");
    ({ token } = await createAgent(user, "target"));
    ({ token: probeToken } = await createAgent(user, "probe"));
  });

  async function send(url: string, body: string | Buffer | undefined, headers: Record<string, string> = {}, agentToken: string | null = token): Promise<Raw> {
    const response = await fetch(ctx.url + url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(agentToken ? { "x-agent-token": agentToken } : {}), ...headers },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // left as text: the assertions below will say what came back
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  /** Streams `total` bytes with chunked transfer encoding (no Content-Length), as a slow or lying client would. */
  function sendChunked(url: string, total: number, headers: Record<string, string>): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const request = http.request(ctx.url + url, { method: "POST", headers: { "content-type": "application/json", "x-agent-token": token, ...headers } });
      let answered = false;
      request.on("response", (response) => {
        answered = true;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      });
      // The hub may answer and close before the whole body is written: that is the point.
      request.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, "x");
      let sent = 0;
      const pump = () => {
        while (sent < total && !answered) {
          sent += chunk.length;
          if (!request.write(chunk)) return void request.once("drain", pump);
        }
        request.end();
      };
      request.write('{"timestamp": 1, "pad": "');
      pump();
    });
  }

  /** The hub still answers health checks and a valid ingest after a bad request. */
  async function expectStillServing(): Promise<void> {
    const health = await ctx.http.get("/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    probeAt += 1000;
    const ok = await send("/ingest", JSON.stringify({ timestamp: probeAt / 1000, cpu: { usage_percent: 1 } }), {}, probeToken);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"status":"received"}');
  }

  function expectError(res: { status: number; body: any }, status: number, code: keyof typeof errorCatalog): void {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(errorBody.safeParse(res.body).success, JSON.stringify(res.body)).toBe(true);
    expect(res.body.error.code).toBe(code);
    expect(errorCatalog[code].status).toBe(status);
  }

  const batchOf = (samples: Json[]) => ({ agent: { hostname: "h", os: "linux", arch: "x64", version: "1" }, samples });
  const valid = () => ({ timestamp: nowS(), cpu: { usage_percent: 5 } });

  describe("size and encoding", () => {
    it("refuses a body over 1 MiB with 413 PAYLOAD_TOO_LARGE", async () => {
      for (const url of ["/ingest", "/api/v1/ingest"]) {
        const res = await send(url, jsonOfSize(MAX_BODY_BYTES + 1, { timestamp: nowS() }));
        expectError(res, 413, "PAYLOAD_TOO_LARGE");
        await expectStillServing();
      }
    });

    it("accepts a body of exactly 1 MiB", async () => {
      const res = await send("/ingest", jsonOfSize(MAX_BODY_BYTES, { timestamp: nowS() }));
      expect(res.status).toBe(200);
    });

    it("refuses an oversized body sent without Content-Length (chunked) with 413", async () => {
      const res = await sendChunked("/ingest", 2 * MAX_BODY_BYTES, {});
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      await expectStillServing();
    });

    it("refuses a gzip bomb (50 MB of zeros, tiny compressed) with 413", async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
      const res = await send("/ingest", bomb, { "content-encoding": "gzip" });
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      await expectStillServing();
    });

    it("refuses a gzip bomb of valid-looking JSON with 413", async () => {
      const bomb = gzipSync(jsonOfSize(20 * 1024 * 1024, { timestamp: nowS() }));
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
      const res = await send("/api/v1/ingest", bomb, { "content-encoding": "gzip" });
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      await expectStillServing();
    });

    it.each([
      ["bytes that are not gzip", Buffer.from('{"timestamp": 1}')],
      ["a truncated gzip stream", gzipSync(JSON.stringify({ timestamp: 1_764_545_441, cpu: { usage_percent: 1 } })).subarray(0, 20)],
      ["a gzip stream with a flipped byte", (() => {
        const bytes = gzipSync(JSON.stringify({ timestamp: 1_764_545_441 }));
        bytes[bytes.length - 6]! ^= 0xff;
        return bytes;
      })()],
    ])("refuses %s declared as gzip with 400", async (_name, body) => {
      const res = await send("/ingest", body, { "content-encoding": "gzip" });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toMatch(/gzip/i);
      await expectStillServing();
    });

    it.each(["br", "deflate", "compress", "gzip, br"])("refuses Content-Encoding %s with 415", async (encoding) => {
      const res = await send("/ingest", JSON.stringify(valid()), { "content-encoding": encoding });
      expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(res.body.error.message).toMatch(/gzip/);
      await expectStillServing();
    });

    it("refuses a body that is not JSON by content type with 415", async () => {
      const res = await send("/ingest", "<sample/>", { "content-type": "application/xml" });
      expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      await expectStillServing();
    });
  });

  describe("not JSON, or not an object", () => {
    it.each([
      ["truncated JSON", '{"timestamp": 1764545441,'],
      ["a trailing comma", '{"timestamp": 1764545441,}'],
      ["single quotes", "{'timestamp': 1764545441}"],
      ["a NaN literal", '{"timestamp": NaN}'],
      ["an empty body", ""],
      ["invalid UTF-8 where a key should be", Buffer.from([0x7b, 0xff, 0xfe, 0x3a, 0x31, 0x7d])],
    ])("refuses %s with 400 INVALID_JSON", async (_name, body) => {
      const res = await send("/ingest", body);
      expectError(res, 400, "INVALID_JSON");
      await expectStillServing();
    });

    it.each([
      ["an array", "[]"],
      ["an array holding a payload", JSON.stringify([{ timestamp: 1_764_545_441 }])],
      ["a string", '"timestamp"'],
      ["a number", "42"],
      ["null", "null"],
      ["true", "true"],
    ])("refuses %s with 400 VALIDATION_FAILED", async (_name, body) => {
      const res = await send("/ingest", body);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toMatch(/^body: expected a JSON object/);
      await expectStillServing();
    });

    it("refuses deeply nested JSON without falling over", async () => {
      const depth = 100_000;
      const res = await send("/ingest", "[".repeat(depth) + "]".repeat(depth));
      expect(res.status).toBe(400);
      expectError(res, 400, "VALIDATION_FAILED");
      await expectStillServing();
    });

    it("drops a deeply nested unknown object without falling over", async () => {
      const depth = 100_000;
      const nested = '{"a":'.repeat(depth) + '"constructor"' + "}".repeat(depth);
      const res = await send("/ingest", `{"timestamp": ${nowS()}, "cpu": {"usage_percent": 1, "junk": ${nested}}}`);
      expect(res.status, res.text).toBe(200);
      await expectStillServing();
    });
  });

  describe("values out of range, named by field", () => {
    const cases: [string, string, () => unknown][] = [
      ["a string where a number belongs", "body.cpu.usage_percent", () => ({ ...valid(), cpu: { usage_percent: "x" } })],
      ["a percentage of 150", "body.cpu.usage_percent", () => ({ ...valid(), cpu: { usage_percent: 150 } })],
      ["a negative per-core value", "body.cpu.per_core_usage[1]", () => ({ ...valid(), cpu: { per_core_usage: [1, -1] } })],
      ["a negative memory size", "body.memory.total", () => ({ ...valid(), memory: { total: -1 } })],
      ["a negative partition size", "body.disk.partitions[0].total", () => ({ ...valid(), disk: { partitions: [{ mountpoint: "/", total: -1024 }] } })],
      ["a negative network counter", "body.network.bytes_sent", () => ({ ...valid(), network: { bytes_sent: -5 } })],
      ["a counter beyond 2^53", "body.network.bytes_recv", () => ({ ...valid(), network: { bytes_recv: 2 ** 60 } })],
      ["a 5,000-character mountpoint", "body.disk.partitions[0].mountpoint", () => ({ ...valid(), disk: { partitions: [{ mountpoint: "/".repeat(5000) }] } })],
      ["300 partitions", "body.disk.partitions", () => ({ ...valid(), disk: { partitions: Array.from({ length: 300 }, () => ({ mountpoint: "/" })) } })],
      ["a missing timestamp", "body.timestamp", () => ({ cpu: { usage_percent: 1 } })],
      ["a timestamp as a string", "body.timestamp", () => ({ timestamp: String(nowS()) })],
      ["a timestamp in 1990", "body.timestamp", () => ({ timestamp: Date.UTC(1990, 0, 1) / 1000 })],
      ["a timestamp one day in the future", "body.timestamp", () => ({ timestamp: (Date.now() + DAY) / 1000 })],
      ["a timestamp 367 days old", "body.timestamp", () => ({ timestamp: (Date.now() - 367 * DAY) / 1000 })],
      ["milliseconds where the original format has seconds", "body.timestamp", () => ({ timestamp: Date.now() })],
      ["a batch sample with a wrong type", "body.samples[0].cpu.usage_percent", () => batchOf([{ seq: 0, timestamp: Date.now(), cpu: { usage_percent: "x" } }])],
      ["a batch sample with a negative disk", "body.samples[0].disks[0].total", () => batchOf([{ seq: 0, timestamp: Date.now(), disks: [{ mountpoint: "/", total: -1 }] }])],
      ["a batch sample one day ahead", "body.samples[1].timestamp", () => batchOf([{ seq: 0, timestamp: Date.now() }, { seq: 1, timestamp: Date.now() + DAY }])],
      ["a batch sample in seconds", "body.samples[0].timestamp", () => batchOf([{ seq: 0, timestamp: Math.round(nowS()) }])],
      ["a batch without host facts", "body.agent", () => ({ samples: [{ seq: 0, timestamp: Date.now() }] })],
      ["an empty batch", "body.samples", () => batchOf([])],
      [`${MAX_SAMPLES_PER_BATCH + 1} samples in a batch`, "body.samples", () => batchOf(Array.from({ length: MAX_SAMPLES_PER_BATCH + 1 }, (_, i) => ({ seq: i, timestamp: Date.now() - i })))],
    ];
    it.each(cases)("refuses %s with 400 VALIDATION_FAILED naming %s", async (_name, field, payload) => {
      for (const url of ["/ingest", "/api/v1/ingest"]) {
        const res = await send(url, JSON.stringify(payload()));
        expectError(res, 400, "VALIDATION_FAILED");
        expect(res.body.error.message.startsWith(`${field}: `), res.body.error.message).toBe(true);
        expect(res.body.error.issues?.[0]?.path).toBe(field);
      }
      await expectStillServing();
    });

    it.each([
      ["Infinity (1e999)", "body.timestamp", '{"timestamp": 1e999}'],
      ["-Infinity (-1e999)", "body.timestamp", '{"timestamp": -1e999}'],
      ["an infinite percentage", "body.cpu.usage_percent", `{"timestamp": ${nowS()}, "cpu": {"usage_percent": 1e400}}`],
      ["an infinite counter in a batch", "body.samples[0].memory.total", `{"agent": {"hostname": "h", "os": "l", "arch": "x", "version": "1"}, "samples": [{"seq": 0, "timestamp": ${Date.now()}, "memory": {"total": 1e999}}]}`],
    ])("refuses %s, which JSON.parse turns into an infinite number, naming %s", async (_name, field, text) => {
      const res = await send("/ingest", text);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message.startsWith(`${field}: `), res.body.error.message).toBe(true);
      await expectStillServing();
    });

    it.each([
      ["a timestamp in 1990", () => ({ timestamp: Date.UTC(1990, 0, 1) / 1000 }), /^body\.timestamp: is before the year 2000/],
      ["a timestamp one day ahead", () => ({ timestamp: (Date.now() + DAY) / 1000 }), /^body\.timestamp: is 86\d{3} s in the future; check the agent's clock$/],
      ["milliseconds instead of seconds", () => ({ timestamp: Date.now() }), /^body\.timestamp: is \d+ s in the future/],
      ["a timestamp 367 days old", () => ({ timestamp: (Date.now() - 367 * DAY) / 1000 }), /^body\.timestamp: is older than the longest history retention/],
    ])("explains what is wrong with %s", async (_name, payload, message) => {
      const res = await send("/ingest", JSON.stringify(payload()));
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toMatch(message);
    });

    it(`accepts exactly ${MAX_SAMPLES_PER_BATCH} samples in a batch`, async () => {
      const base = Date.now() - 2 * DAY;
      const payload = batchOf(Array.from({ length: MAX_SAMPLES_PER_BATCH }, (_, i) => ({ seq: i, timestamp: base + i * 1000 })));
      const res = await send("/api/v1/ingest", JSON.stringify(payload));
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(MAX_SAMPLES_PER_BATCH);
    });
  });

  describe("prototype pollution", () => {
    it.each([
      ["__proto__ at the top", `{"__proto__": {"polluted": true}, "timestamp": ${nowS()}}`],
      ["__proto__ nested", `{"timestamp": ${nowS()}, "cpu": {"__proto__": {"polluted": true}}}`],
      ["constructor.prototype at the top", `{"constructor": {"prototype": {"polluted": true}}, "timestamp": ${nowS()}}`],
      ["constructor.prototype nested", `{"timestamp": ${nowS()}, "memory": {"constructor": {"prototype": {}}}}`],
      ["__proto__ 100,000 levels deep", `{"timestamp": ${nowS()}, "x": ${'{"a":'.repeat(100_000)}{"__proto__": {"polluted": true}}${"}".repeat(100_000)}}`],
    ])("refuses %s with 400", async (_name, text) => {
      const res = await send("/ingest", text);
      expectError(res, 400, "INVALID_JSON");
      expect(({} as Json).polluted).toBeUndefined();
      await expectStillServing();
    });
  });

  describe("unknown fields", () => {
    it("tolerates and drops unknown fields in an original payload, storing none of them", async () => {
      const { id: extrasId, token: extrasToken } = await createAgent(user, "original-extras");
      const ts = Date.now() - 10 * 60_000;
      const payload = {
        timestamp: ts / 1000,
        agent_id: 999,
        user_id: 1,
        evil_top: "drop me",
        cpu: { usage_percent: 7, evil_cpu: "drop me" },
        memory: { total: 100, available: 40, evil_memory: 1 },
        disk: { partitions: [{ mountpoint: "/", percent: 5, evil_partition: 1 }], io: { read_bytes: 1, evil_io: 2 } },
        network: { bytes_sent: 1, evil_network: 3 },
      };
      const res = await send("/ingest", JSON.stringify(payload), {}, extrasToken);
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"status":"received"}');

      const latest = await user.get(`/api/v1/agents/${extrasId}/latest`);
      expect(latest.status).toBe(200);
      expect(latest.body).toStrictEqual({
        agent_id: extrasId,
        timestamp: ts,
        cpu: { usage_percent: 7 },
        memory: { total: 100, available: 40, used: 60 },
        disks: [{ mountpoint: "/", used_percent: 5 }],
        disk_io: { read_bytes: 1 },
        network: { bytes_sent: 1 },
      });

      const db = new Database(path.join(ctx.hub.dataDir, "statusmonitor.db"), { readonly: true, fileMustExist: true });
      try {
        const stored = db.prepare("SELECT body FROM sample_journal WHERE agent_id = ? AND ts = ?").pluck().get(extrasId, ts) as string;
        expect(JSON.parse(stored).agent_id).toBe(extrasId);
        expect(stored).not.toMatch(/evil|999/);
      } finally {
        db.close();
      }
    });

    it("tolerates and drops unknown fields in a batch", async () => {
      const { id, token: batchToken } = await createAgent(user, "batch-extras");
      const ts = Date.now() - 60_000;
      const payload = {
        agent: { hostname: "h", os: "linux", arch: "x64", version: "1", evil_agent: true },
        samples: [{ seq: 3, timestamp: ts, evil_sample: 1, cpu: { usage_percent: 9, evil_cpu: 1 }, network: { interfaces: [{ name: "eth0", bytes_sent: 5, evil_if: 1 }] } }],
        evil_top: 1,
      };
      const res = await send("/api/v1/ingest", JSON.stringify(payload), {}, batchToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "received", stored: 1, duplicates: 0, newest_timestamp: ts });
      const latest = await user.get(`/api/v1/agents/${id}/latest`);
      expect(JSON.stringify(latest.body)).not.toContain("evil");
      expect(latest.body).toStrictEqual({
        agent_id: id,
        timestamp: ts,
        seq: 3,
        cpu: { usage_percent: 9 },
        network: { bytes_sent: 5, interfaces: [{ name: "eth0", bytes_sent: 5 }] },
      });
      expect(JSON.stringify((await user.get(`/api/v1/agents/${id}`)).body)).not.toContain("evil");
    });
  });

  describe("values that are valid alone but extreme together", () => {
    it("keeps /latest answering when interface totals exceed 2^53", async () => {
      const { id, token: bigToken } = await createAgent(user, "huge-totals");
      const max = Number.MAX_SAFE_INTEGER;
      const payload = batchOf([
        { seq: 0, timestamp: Date.now() - 1000, network: { interfaces: [{ name: "a", bytes_sent: max }, { name: "b", bytes_sent: max }] } },
      ]);
      const res = await send("/ingest", JSON.stringify(payload), {}, bigToken);
      expect(res.status).toBe(200);
      const latest = await user.get(`/api/v1/agents/${id}/latest`);
      expect(latest.status).toBe(200);
      // The exact total is not representable: it is left out rather than rounded.
      expect(latest.body.network).toStrictEqual({
        interfaces: [
          { name: "a", bytes_sent: max },
          { name: "b", bytes_sent: max },
        ],
      });
      await expectStillServing();
    });

    it("keeps /latest answering when a counter jumps absurdly within a millisecond", async () => {
      const { id, token: jumpToken } = await createAgent(user, "huge-rate");
      const ts = Date.now() - 1000;
      const res = await send(
        "/ingest",
        JSON.stringify(batchOf([
          { seq: 0, timestamp: ts, network: { interfaces: [{ name: "a", bytes_sent: 0 }] } },
          { seq: 1, timestamp: ts + 1, network: { interfaces: [{ name: "a", bytes_sent: Number.MAX_SAFE_INTEGER }] } },
        ])),
        {},
        jumpToken,
      );
      expect(res.status).toBe(200);
      const latest = await user.get(`/api/v1/agents/${id}/latest`);
      expect(latest.status).toBe(200);
      expect(latest.body.network.bytes_sent).toBe(Number.MAX_SAFE_INTEGER);
      // 9 EB in a millisecond is a glitch, not a rate.
      expect(latest.body.network).not.toHaveProperty("bytes_sent_per_s");
      expect(latest.body.network.interfaces[0]).not.toHaveProperty("bytes_sent_per_s");
      await expectStillServing();
    });
  });

  describe("other endpoints", () => {
    it("refuses an oversized JSON body on register with 413", async () => {
      const res = await send("/api/v1/auth/register", jsonOfSize(MAX_BODY_BYTES + 1, { username: "big", password: "correct horse battery" }), {}, null);
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      await expectStillServing();
    });

    it("refuses an oversized JSON body on agent creation with 413", async () => {
      const res = await send("/api/v1/agents", jsonOfSize(MAX_BODY_BYTES + 1, { name: "big" }), { authorization: `Bearer ${user.accessToken}` }, null);
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      await expectStillServing();
    });

    it.each(["application/xml", "multipart/form-data; boundary=x", "application/octet-stream"])(
      "refuses Content-Type %s on register with 415",
      async (contentType) => {
        const res = await send("/api/v1/auth/register", "username=x&password=y", { "content-type": contentType }, null);
        expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
        await expectStillServing();
      },
    );

    it("refuses malformed JSON on register with 400 INVALID_JSON", async () => {
      const res = await send("/api/v1/auth/register", '{"username": "x", ', {}, null);
      expectError(res, 400, "INVALID_JSON");
      await expectStillServing();
    });

    it("refuses __proto__ keys on register with 400", async () => {
      const res = await send("/api/v1/auth/register", '{"username": "proto", "password": "correct horse battery", "__proto__": {"role": "admin"}}', {}, null);
      expectError(res, 400, "INVALID_JSON");
      await expectStillServing();
    });
  });
});
