/**
 * The little of `fetch` the sender needs, over node:http(s) with one keep-alive connection: the
 * global fetch (undici) costs the agent about 30 MiB of memory and a third of its CPU per request.
 * Failures look like fetch's (a TimeoutError on the deadline, `cause.code` such as ECONNREFUSED).
 */
import http from "node:http";
import https from "node:https";

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: Buffer; signal: AbortSignal },
) => Promise<HttpResponse>;

/** The hub's answers are small; anything longer is cut (it is only read for an error message). */
const MAX_ANSWER_BYTES = 64 * 1024;
const keepAlive = { "http:": new http.Agent({ keepAlive: true, maxSockets: 1 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 1 }) };

export const nodeFetch: HttpFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const protocol = target.protocol === "https:" ? "https:" : "http:";
    const fail = (err: Error) => reject(init.signal.aborted ? init.signal.reason : Object.assign(new Error(err.message), { cause: err }));
    const request = (protocol === "https:" ? https : http).request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": String(init.body.length) },
        agent: keepAlive[protocol],
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status,
            ok: status >= 200 && status < 300,
            headers: {
              get: (name) => {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
              },
            },
            text: async () => text,
          });
        });
      },
    );
    request.on("error", fail);
    request.end(init.body);
  });
