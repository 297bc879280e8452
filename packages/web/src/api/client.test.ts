/** Tests of the HTTP client's pure parts: query strings and how hub answers become ApiErrors and sentences. */
import { describe, expect, it } from "vitest";
import { ApiError, describeError } from "./api-error";
import { withQuery } from "./client";

describe("withQuery", () => {
  it.each([
    ["/x", undefined, "/x"],
    ["/x", {}, "/x"],
    ["/x", { a: 1, b: "two" }, "/x?a=1&b=two"],
    ["/x", { a: undefined, b: null, c: "" }, "/x"],
    ["/x", { flag: false, n: 0 }, "/x?flag=false&n=0"],
    ["/x", { mountpoint: "C:\\ data&more" }, "/x?mountpoint=C%3A%5C+data%26more"],
  ])("%s + %j → %s", (path, query, expected) => {
    expect(withQuery(path, query)).toBe(expected);
  });
});

describe("ApiError.fromResponse", () => {
  it("keeps the hub's code, message and field issues", async () => {
    const body = { error: { code: "VALIDATION_FAILED", message: "The request is not valid.", issues: [{ path: "name", message: "must not be empty" }] } };
    const error = await ApiError.fromResponse(new Response(JSON.stringify(body), { status: 400 }));
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", status: 400, issues: [{ path: "name", message: "must not be empty" }] });
    expect(describeError(error)).toBe("name: must not be empty");
  });

  it("turns a proxy's HTML error page into UNAVAILABLE with the status in words", async () => {
    const error = await ApiError.fromResponse(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toBe("The hub answered 502 Bad Gateway.");
  });

  it("describes plain errors and network failures", () => {
    expect(describeError(new ApiError("AGENT_NOT_FOUND", "Agent not found.", 404))).toBe("Agent not found.");
    expect(describeError(ApiError.network(new TypeError("fetch failed")))).toMatch(/^Cannot reach the hub \(fetch failed\)/);
    expect(describeError("weird")).toBe("Something went wrong.");
  });
});
