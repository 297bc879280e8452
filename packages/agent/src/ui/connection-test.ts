/**
 * "Test connection": sends one real sample to the hub (as the original GUI did, which also
 * activates a fresh token) and explains the outcome in the original GUI's words.
 */
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { HubClient, ingestUrl, type SendResult } from "../send/sender.js";

export interface ConnectionTestResult {
  ok: boolean;
  /** The original dialog's title ("Success", "Authentication Failed", …). */
  title: string;
  /** The original dialog's message. */
  message: string;
  /** What exactly happened (the URL tried, the hub's error code), when it helps. */
  detail?: string;
}

export interface ConnectionTestInput {
  hubUrl: string;
  token: string;
  sample: () => Promise<{ facts: AgentFacts; sample: BatchSample }>;
  timeoutMs: number;
}

/** Why a request never got an answer, read from the error `fetch` threw. */
type NetworkFailure = { kind: "timeout" } | { kind: "refused" } | { kind: "unreachable"; reason: string };

function networkFailure(err: unknown, timedOut: boolean): NetworkFailure {
  if (timedOut) return { kind: "timeout" };
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") return { kind: "refused" };
  return { kind: "unreachable", reason: cause?.code ?? cause?.message ?? (err as Error).message };
}

/** The answer for an HTTP status, in the original GUI's words (`agent_gui.py:523-559`). */
export function describeAnswer(result: SendResult, url: string): ConnectionTestResult {
  if (result.ok) return { ok: true, title: "Success", message: "Connection successful! The agent can reach the server.", detail: `The hub at ${url} accepted a sample.` };
  const detail = result.error.charAt(0).toUpperCase() + result.error.slice(1);
  switch (result.status) {
    case 401:
      return { ok: false, title: "Authentication Failed", message: "Invalid agent token. Please check your token.", detail };
    case 404:
      return { ok: false, title: "Not Found", message: "The ingestion endpoint was not found. Check the server URL.", detail: `Nothing answers at ${url}.` };
    default:
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        return { ok: false, title: "Error", message: "Something answered, but not as a StatusMonitor hub. Check the server URL.", detail };
      }
      return { ok: false, title: "Error", message: `Server returned status code: ${result.status ?? "none"}`, detail };
  }
}

export function describeFailure(failure: NetworkFailure, url: string, timeoutMs: number): ConnectionTestResult {
  switch (failure.kind) {
    case "timeout":
      return { ok: false, title: "Timeout", message: "Connection timed out. The server may be slow or unreachable.", detail: `No answer from ${url} within ${timeoutMs / 1000} s.` };
    case "refused":
      return { ok: false, title: "Connection Error", message: "Could not connect to the server. Check the URL and ensure the server is running.", detail: `Connection refused at ${url}: is the hub running there?` };
    case "unreachable":
      return { ok: false, title: "Connection Error", message: "Could not connect to the server. Check the URL and ensure the server is running.", detail: `${url}: ${failure.reason}` };
  }
}

export async function testConnection(input: ConnectionTestInput): Promise<ConnectionTestResult> {
  if (input.hubUrl.trim() === "") return { ok: false, title: "Error", message: "Please enter a server URL." };
  if (input.token.trim() === "") return { ok: false, title: "Error", message: "Please enter an agent token." };
  let url: string;
  try {
    url = ingestUrl(input.hubUrl.trim().replace(/\/+$/, ""));
  } catch (err) {
    return { ok: false, title: "Error", message: `An error occurred: ${(err as Error).message}`, detail: "The hub URL looks like http://hub.example:8080." };
  }
  // The sender's own failure text is for logs; the page needs to know exactly why fetch failed, so it is recorded here.
  let thrown: unknown;
  let timedOut = false;
  try {
    const { facts, sample } = await input.sample();
    const timeout = AbortSignal.timeout(input.timeoutMs);
    timeout.addEventListener("abort", () => (timedOut = true));
    const recordingFetch: typeof fetch = (resource, init) =>
      fetch(resource, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout }).catch((err: unknown) => {
        thrown = err;
        throw err;
      });
    // The client's own deadline is later than ours, so ours decides and is recognised as a timeout.
    const client = new HubClient({ url, token: input.token.trim(), timeoutMs: input.timeoutMs + 5_000, fetch: recordingFetch });
    const result = await client.send(facts, [sample]);
    if (thrown !== undefined || (timedOut && !result.ok && result.status === undefined)) return describeFailure(networkFailure(thrown, timedOut), url, input.timeoutMs);
    return describeAnswer(result, url);
  } catch (err) {
    if (thrown !== undefined) return describeFailure(networkFailure(thrown, timedOut), url, input.timeoutMs);
    return { ok: false, title: "Error", message: `An error occurred: ${(err as Error).message}` };
  }
}
