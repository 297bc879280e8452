/**
 * The hub's API as the test itself calls it, beside the browser: a user's own access token and GETs
 * with it (to compare what a page shows with what the hub answers), and one agent ingest call.
 */
import type { BatchPayload } from "@statusmonitor/protocol";

/** Signs in like any API client (the browser's session is left alone) and gives the access token. */
export async function accessToken(hubUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${hubUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function apiGet<T>(hubUrl: string, token: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${hubUrl}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Posts one small sample with an agent token, as an agent would, and gives the HTTP status (200 accepted, 401 refused). */
export async function ingestStatus(hubUrl: string, agentToken: string): Promise<number> {
  const payload: BatchPayload = {
    agent: { hostname: "e2e-probe", os: "Linux", arch: "x64", version: "e2e" },
    samples: [{ seq: 1, timestamp: Date.now(), cpu: { usage_percent: 12.5 } }],
  };
  const response = await fetch(`${hubUrl}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-agent-token": agentToken },
    body: JSON.stringify(payload),
  });
  await response.body?.cancel();
  return response.status;
}
