/** One JSON request to the hub over a caller-supplied (keep-alive) `http.Agent`, answered as `{ status, body }`. */
import http from "node:http";

export function jsonRequest(agent, hub, method, url, body, headers = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: hub.host,
        port: hub.port,
        method,
        path: url,
        headers: { ...headers, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Awaits a `jsonRequest` and returns its body, or throws with the status and body when the status is not `status`. */
export async function expectStatus(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Posts one ingest body with an agent token without waiting for it (the open-loop load generators
 * keep their schedule whatever the answers do); `done` gets the HTTP status, or the error code.
 */
export function postIngest(agent, hub, url, token, body, done) {
  const req = http.request(
    {
      agent,
      host: hub.host,
      port: hub.port,
      method: "POST",
      path: url,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-agent-token": token },
    },
    (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode));
    },
  );
  req.on("error", (err) => done(`${err.code ?? err.message}`));
  req.end(body);
}
