/** INGESTION_URL in every form users write it → the hub's batch endpoint. */
import { describe, expect, it } from "vitest";
import { ingestUrl } from "./ingest-url.js";

describe("ingestUrl", () => {
  it.each([
    ["http://hub:8080", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/ingest", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/ingest/", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/api/v1/ingest", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/api/v1/ingest/", "http://hub:8080/api/v1/ingest"],
    ["http://hub:8080/api/v1", "http://hub:8080/api/v1/ingest"],
    ["  https://hub.example.com  ", "https://hub.example.com/api/v1/ingest"],
    ["https://example.com/statusmonitor/", "https://example.com/statusmonitor/api/v1/ingest"],
    ["https://example.com/statusmonitor/ingest", "https://example.com/statusmonitor/api/v1/ingest"],
    ["http://[::1]:8080#frag", "http://[::1]:8080/api/v1/ingest"],
  ])("%s → %s", (input, expected) => {
    expect(ingestUrl(input)).toBe(expected);
  });

  it.each([
    ["hub.example:8080", /must start with http:\/\/ or https:\/\//],
    ["ftp://hub.example", /must start with http:\/\/ or https:\/\//],
    ["ws://hub.example/ingest", /must start with http:\/\/ or https:\/\//],
    ["", /is not a URL/],
    ["not a url", /is not a URL/],
  ])("refuses %j with a clear error", (input, message) => {
    expect(() => ingestUrl(input)).toThrow(message);
  });
});
