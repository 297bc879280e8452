/** The event log's filters in the address bar and in the API query. */
import { describe, expect, it } from "vitest";
import { changeFilters, DEFAULT_EVENT_FILTERS, eventsQuery, filtersFromSearch, filtersToSearch, type EventFilters } from "./event-filters";

const read = (search: string) => filtersFromSearch(new URLSearchParams(search));

describe("filtersFromSearch", () => {
  it.each<[string, Partial<EventFilters>]>([
    ["", {}],
    ["agent_id=3&metric=disk&state=firing&sort=oldest&limit=50&offset=100", { agentId: 3, metric: "disk", state: "firing", sort: "oldest", limit: 50, offset: 100 }],
    ["agent_id=0", {}],
    ["agent_id=-2", {}],
    ["agent_id=abc", {}],
    ["agent_id=1.5", {}],
    ["metric=gpu", {}],
    ["state=pending", {}],
    ["sort=sideways", {}],
    ["limit=30", {}],
    ["limit=1000", {}],
    ["offset=-25", {}],
    ["offset=1e3", {}],
    ["offset=30", { offset: 25 }],
    ["limit=100&offset=250", { limit: 100, offset: 200 }],
  ])("?%s", (search, expected) => expect(read(search)).toEqual({ ...DEFAULT_EVENT_FILTERS, ...expected }));
});

describe("filtersToSearch", () => {
  it("leaves defaults out, so /alerts stays plain", () => {
    expect(filtersToSearch(DEFAULT_EVENT_FILTERS).toString()).toBe("");
  });

  it.each<Partial<EventFilters>>([
    { agentId: 3 },
    { metric: "network_rx", state: "resolved" },
    { sort: "oldest", limit: 100, offset: 300 },
    { agentId: 12, metric: "offline", state: "firing", sort: "oldest", limit: 50, offset: 50 },
  ])("round-trips %o", (patch) => {
    const filters = { ...DEFAULT_EVENT_FILTERS, ...patch };
    expect(read(filtersToSearch(filters).toString())).toEqual(filters);
  });
});

describe("eventsQuery", () => {
  it("sends sort, limit and offset always and the filters only when set", () => {
    expect(eventsQuery(DEFAULT_EVENT_FILTERS)).toEqual({ agent_id: undefined, metric: undefined, state: undefined, sort: "newest", limit: 25, offset: 0 });
    expect(eventsQuery({ agentId: 2, metric: "cpu", state: "firing", sort: "oldest", limit: 50, offset: 150 })).toEqual({
      agent_id: 2,
      metric: "cpu",
      state: "firing",
      sort: "oldest",
      limit: 50,
      offset: 150,
    });
  });
});

describe("changeFilters", () => {
  it.each<Partial<Omit<EventFilters, "offset">>>([{ metric: "cpu" }, { agentId: null }, { sort: "oldest" }, { limit: 100 }])(
    "%o goes back to the first page",
    (change) => {
      const on3rdPage: EventFilters = { ...DEFAULT_EVENT_FILTERS, offset: 50 };
      expect(changeFilters(on3rdPage, change)).toEqual({ ...on3rdPage, ...change, offset: 0 });
    },
  );
});
