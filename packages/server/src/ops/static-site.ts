/** Serves the dashboard build when it exists; otherwise a minimal start page. */
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Returns whether a dashboard build is being served (so unknown browser paths can fall back to it). */
export async function staticSite(app: FastifyInstance, webDir: string): Promise<boolean> {
  if (!existsSync(path.join(webDir, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async (request, reply) =>
      reply.type("text/html; charset=utf-8").send(startPage(request.headers.host ?? "localhost:8080")),
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: ["index.html"],
    // The build writes .gz and .br beside each asset; browsers get the smallest they accept.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, filePath) => res.setHeader("cache-control", cacheControlFor(filePath)),
  });
  return true;
}

/** Hashed build assets never change under their name; index.html must be revalidated to pick up a new build. */
export function cacheControlFor(filePath: string): string {
  return /[\\/]assets[\\/]/.test(filePath) ? "public, max-age=31536000, immutable" : "no-cache";
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const startPage = (host: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>StatusMonitor hub</title>
<style>
  :root { color-scheme: light dark; --fg: #0f172a; --muted: #475569; --bg: #f8fafc; --card: #fff; --accent: #2563eb; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e2e8f0; --muted: #94a3b8; --bg: #0b1120; --card: #111827; --accent: #60a5fa; } }
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
  main { max-width: 46rem; margin: 3rem auto; padding: 0 1.25rem; }
  .card { background: var(--card); border-radius: 12px; padding: 1.5rem 1.75rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  h1 { margin: 0 0 .25rem; font-size: 1.6rem; } p.lead { color: var(--muted); margin-top: 0; }
  .ok { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; background: #22c55e; margin-right: .4rem; }
  code, pre { font-family: ui-monospace, monospace; font-size: .88rem; }
  pre { background: rgb(127 127 127 / .12); padding: .8rem 1rem; border-radius: 8px; white-space: pre-wrap; word-break: break-all; }
  a { color: var(--accent); } li { margin: .3rem 0; }
</style>
</head>
<body>
<main>
  <div class="card">
    <h1><span class="ok" aria-hidden="true"></span>StatusMonitor hub is running</h1>
    <p class="lead">The web dashboard is not built yet; the API is ready.</p>
    <ol>
      <li>Create an account: <code>POST /api/v1/auth/register</code> (the first account becomes the administrator).</li>
      <li>Sign in: <code>POST /api/v1/auth/login</code> and create an agent: <code>POST /api/v1/agents</code>.</li>
      <li>Point an agent at this hub with its token in <code>X-Agent-Token</code> within 5 minutes.</li>
    </ol>
    <pre>curl -X POST http://${escapeHtml(host)}/ingest \\
  -H "X-Agent-Token: sma_..." -H "Content-Type: application/json" \\
  -d '{"timestamp": '$(date +%s)', "cpu": {"usage_percent": 12.5}}'</pre>
    <p><a href="/api/docs">API reference</a> · <a href="/health">Health</a> · <a href="/metrics">Metrics</a></p>
  </div>
</main>
</body>
</html>`;
