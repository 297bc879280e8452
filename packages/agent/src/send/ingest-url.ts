/** Turns INGESTION_URL, in any of the forms users write it, into the hub's batch endpoint URL. */

const BATCH_PATH = "/api/v1/ingest";

/**
 * Accepts the hub's base URL (`http://hub:8080`, with or without a trailing slash or a path prefix
 * such as `/statusmonitor`), its original-agent URL (`…/ingest`), its API root (`…/api/v1`) or the
 * batch endpoint itself (`…/api/v1/ingest`), and returns the batch endpoint. Throws a clear Error
 * for anything that is not an http(s) URL.
 */
export function ingestUrl(base: string): string {
  const text = base.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`INGESTION_URL "${text}" is not a URL: write it like http://hub.example:8080`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`INGESTION_URL must start with http:// or https:// (got "${text}"), e.g. http://hub.example:8080`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith(BATCH_PATH)) url.pathname = path;
  else if (path.endsWith("/api/v1")) url.pathname = `${path}/ingest`;
  else if (path.endsWith("/ingest")) url.pathname = path.slice(0, -"/ingest".length) + BATCH_PATH;
  else url.pathname = path + BATCH_PATH;
  url.hash = "";
  return url.toString();
}
