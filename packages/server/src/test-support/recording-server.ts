/**
 * A stand-in for the outside world (the Telegram API, a webhook receiver): a real HTTP server on a
 * free loopback port that records every request and answers as the test says; closed after each test.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach } from "vitest";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const perTest: Server[] = [];
const perFile: Server[] = [];
async function closeAll(servers: Server[]): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
afterEach(() => closeAll(perTest));
afterAll(() => closeAll(perFile));

/**
 * A server that records every request and answers with `reply` (or never, if `reply` does not
 * respond). It is closed after the current test, or with `{ lifetime: "file" }` after the file's
 * tests (for a hub started once with the server's URL in its configuration).
 */
export async function recordingServer(
  reply: (res: ServerResponse) => void,
  options: { lifetime?: "test" | "file" } = {},
): Promise<{ url: string; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  (options.lifetime === "file" ? perFile : perTest).push(server);
  return { url: `http://127.0.0.1:${port}`, requests };
}

/** A URL nothing listens on: a port the system just handed out and took back. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
