/** Runs the SampleJournal contract on the SQLite journal (one process: its peer is itself), and checks its pruning. */
import type { Sample } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeSampleJournalContract } from "../../ingest/sample-journal.contract.js";
import { openSqliteFixture, type SqliteFixture } from "../../test-support/sqlite-fixture.js";
import { SqliteSampleJournal } from "./sample-journal.js";

describeSampleJournalContract("sqlite", async () => {
  const fixture = openSqliteFixture("statusmonitor-journal-");
  const userId = fixture.createUser();
  const journal = new SqliteSampleJournal(fixture.db);
  return {
    journal,
    peer: journal,
    traits: { concurrentDuplicate: "published once", afterRejectedPublish: "kept" },
    createAgent: () => fixture.createAgent(userId),
    close: async () => fixture.close(),
  };
});

describe("SqliteSampleJournal pruning", () => {
  let fixture: SqliteFixture;
  let journal: SqliteSampleJournal;
  let agent: number;
  const publish = async () => {};
  const sampleAt = (timestamp: number): Sample => ({ agent_id: agent, timestamp });
  beforeEach(async () => {
    fixture = openSqliteFixture("statusmonitor-journal-");
    journal = new SqliteSampleJournal(fixture.db);
    agent = await fixture.createAgent(fixture.createUser());
  });
  afterEach(() => fixture.close());

  it("removes what was received before the cutoff, a bounded batch at a time, and then forgets it was seen", async () => {
    for (let i = 0; i < 5; i++) await journal.append(agent, [sampleAt(1000 + i)], 100 + i, publish);
    expect(await journal.prune(103, 2)).toBe(2);
    expect(await journal.prune(103, 2)).toBe(1);
    expect(await journal.prune(103, 2)).toBe(0);
    expect(await journal.append(agent, [sampleAt(1000), sampleAt(1003)], 200, publish)).toEqual([sampleAt(1000)]);
  });
});
