/** Table tests of the alert state machine with explicit times: durations, hysteresis, cooldown, ordering, offline and restarts. */
import { describe, expect, it } from "vitest";
import type { AlertRule, Sample } from "@statusmonitor/protocol";
import type { AlertOperator } from "./evaluate.js";
import {
  evaluateSample,
  initialAlertState,
  step,
  stepOffline,
  type AlertState,
  type AlertTransition,
  type OfflineInput,
  type StepResult,
} from "./state-machine.js";

const t0 = 1_764_545_441_000;
const s = (seconds: number): number => t0 + seconds * 1000;

type Rule = Pick<AlertRule, "metric" | "operator" | "threshold" | "mountpoint" | "duration_s" | "cooldown_s">;
const cpuRule = (rest: Partial<Rule> = {}): Rule => ({
  metric: "cpu",
  operator: ">",
  threshold: 90,
  mountpoint: null,
  duration_s: 0,
  cooldown_s: 300,
  ...rest,
});
const cpuAt = (at: number, usage: number | undefined): Sample => ({
  agent_id: 1,
  timestamp: at,
  ...(usage === undefined ? {} : { cpu: { usage_percent: usage } }),
});

/** A step's outcome in a compact form: "fired!" is notified, "fired" recorded silently, "-" nothing. */
type Outcome = `${AlertTransition}${"" | "!"}` | "-";
const outcome = (result: StepResult): Outcome =>
  result.transition ? `${result.transition}${result.notify ? "!" : ""}` : "-";

/** Feeds [seconds, cpu %] samples in order (the hub clock equal to sample time), returning each outcome and the final state. */
function run(rule: Rule, samples: [number, number | undefined][], state = initialAlertState()) {
  const outcomes: Outcome[] = [];
  for (const [seconds, usage] of samples) {
    const result = evaluateSample(state, rule, cpuAt(s(seconds), usage), s(seconds));
    if (!result.transition) expect(result.notify).toBe(false);
    outcomes.push(outcome(result));
    state = result.state;
  }
  return { outcomes, state };
}

describe("pending → firing", () => {
  const rule = cpuRule({ duration_s: 60 });
  const cases: [string, [number, number][], Outcome[], AlertState["phase"]][] = [
    ["not 1 ms before duration_s", [[0, 95], [59.999, 95]], ["-", "-"], "pending"],
    ["exactly at duration_s", [[0, 95], [30, 95], [60, 95]], ["-", "-", "fired!"], "firing"],
    ["a sample well past duration_s", [[0, 95], [600, 95]], ["-", "fired!"], "firing"],
    ["a dip below the threshold restarts the wait", [[0, 95], [50, 85], [55, 95], [110, 95], [115, 95]], ["-", "-", "-", "-", "fired!"], "firing"],
    ["a dip inside the hysteresis band also restarts it", [[0, 95], [50, 89.5], [60, 95]], ["-", "-", "-"], "pending"],
    ["never breaching stays inactive", [[0, 50], [60, 50]], ["-", "-"], "inactive"],
  ];
  it.each(cases)("%s", (_name, samples, expected, phase) => {
    const { outcomes, state } = run(rule, samples);
    expect(outcomes).toEqual(expected);
    expect(state.phase).toBe(phase);
  });

  it("duration 0 fires on the first breaching sample", () => {
    const { outcomes, state } = run(cpuRule({ duration_s: 0 }), [[0, 50], [10, 91]]);
    expect(outcomes).toEqual(["-", "fired!"]);
    expect(state).toMatchObject({ phase: "firing", pendingSince: s(10), firingSince: s(10), lastNotifiedAt: s(10), value: 91 });
  });

  it("records when the breach began and when it fired", () => {
    const { state } = run(rule, [[0, 95], [60, 97]]);
    expect(state).toMatchObject({ phase: "firing", pendingSince: s(0), firingSince: s(60), value: 97, notified: true });
  });
});

describe("hysteresis", () => {
  it("a value oscillating ±0.5 around 90 fires once and resolves only below 88", () => {
    const oscillating: [number, number][] = Array.from({ length: 40 }, (_, i) => [i * 10, i % 2 === 0 ? 90.5 : 89.5]);
    const { outcomes, state } = run(cpuRule(), [...oscillating, [400, 88.5], [410, 88.01], [420, 87.9], [430, 89.5], [440, 90.5]]);
    // 440 s after the first notification, past the 300 s cooldown: a new incident, notified.
    expect(outcomes.filter((o) => o !== "-")).toEqual(["fired!", "resolved!", "fired!"]);
    expect(outcomes.slice(40, 43)).toEqual(["-", "-", "resolved!"]);
    expect(state.phase).toBe("firing");
  });

  const cases: [AlertOperator, number, number, number, number][] = [
    // operator, threshold, breaching value, value inside the band, clearing value
    [">", 90, 90.1, 88.5, 88],
    [">=", 90, 90, 88, 87.9],
    ["<", 10, 9.9, 11.5, 12],
    ["<=", 10, 10, 12, 12.1],
  ];
  it.each(cases)("%s %s: fires at %s, holds at %s, resolves at %s", (operator, threshold, breach, band, clear) => {
    const { outcomes } = run(cpuRule({ operator, threshold }), [[0, breach], [10, band], [20, breach], [30, band], [40, clear]]);
    expect(outcomes).toEqual(["fired!", "-", "-", "-", "resolved!"]);
  });
});

describe("cooldown", () => {
  const cases: [string, [number, number][], Outcome[]][] = [
    [
      "a new incident 100 s after the last notification is recorded silently, and so is its end",
      [[0, 95], [50, 50], [100, 95], [150, 50]],
      ["fired!", "resolved!", "fired", "resolved"],
    ],
    [
      "an incident exactly cooldown_s after the last notification is notified",
      [[0, 95], [50, 50], [300, 95], [350, 50]],
      ["fired!", "resolved!", "fired!", "resolved!"],
    ],
    [
      "1 ms inside the cooldown is still silent",
      [[0, 95], [50, 50], [299.999, 95], [350, 50]],
      ["fired!", "resolved!", "fired", "resolved"],
    ],
    [
      "a silent incident does not restart the cooldown",
      [[0, 95], [50, 50], [100, 95], [150, 50], [300, 95], [310, 50]],
      ["fired!", "resolved!", "fired", "resolved", "fired!", "resolved!"],
    ],
  ];
  it.each(cases)("%s", (_name, samples, expected) => {
    expect(run(cpuRule({ cooldown_s: 300 }), samples).outcomes).toEqual(expected);
  });

  it("sends no reminders while an alert keeps firing", () => {
    const samples: [number, number][] = Array.from({ length: 360 }, (_, i) => [i * 10, 95]);
    expect(run(cpuRule({ cooldown_s: 60 }), samples).outcomes.filter((o) => o !== "-")).toEqual(["fired!"]);
  });

  it("counts the cooldown in hub time, not sample time", () => {
    const rule = cpuRule({ cooldown_s: 300 });
    let state = initialAlertState();
    const hub = (at: number, usage: number, now: number) => {
      const result = evaluateSample(state, rule, cpuAt(at, usage), now);
      state = result.state;
      return outcome(result);
    };
    // The agent's clock runs ten minutes behind the hub's; the second incident is only 100 s later.
    expect([hub(s(0), 95, s(600)), hub(s(10), 50, s(610)), hub(s(100), 95, s(700))]).toEqual(["fired!", "resolved!", "fired"]);
  });
});

describe("missing values and ordering", () => {
  it("a sample without the metric changes nothing, whatever the phase", () => {
    for (const samples of [[[0, 95]], [[0, 50]]] as [number, number][][]) {
      const before = run(cpuRule(), samples).state;
      const result = evaluateSample(before, cpuRule(), cpuAt(s(20), undefined), s(20));
      expect(result).toStrictEqual({ state: before, notify: false });
      expect(result.state).toBe(before);
    }
  });

  it("a gap in the data neither resolves nor delays firing", () => {
    const { outcomes } = run(cpuRule({ duration_s: 60 }), [[0, 95], [30, undefined], [60, 95], [70, undefined], [80, 50]]);
    expect(outcomes).toEqual(["-", "-", "fired!", "-", "resolved!"]);
  });

  it("a sample older than the newest one applied is ignored", () => {
    const { outcomes, state } = run(cpuRule(), [[100, 95], [50, 10], [99.999, 10], [110, 95]]);
    expect(outcomes).toEqual(["fired!", "-", "-", "-"]);
    expect(state).toMatchObject({ phase: "firing", observedAt: s(110) });
  });

  it("an old breaching sample cannot complete a pending duration", () => {
    const { outcomes, state } = run(cpuRule({ duration_s: 60 }), [[100, 95], [0, 95], [159, 95]]);
    expect(outcomes).toEqual(["-", "-", "-"]);
    expect(state).toMatchObject({ phase: "pending", pendingSince: s(100) });
  });

  it("step takes an observation directly", () => {
    const observation = { breach: true, clear: false, value: 7, mountpoint: "/data", at: s(0) };
    const result = step(initialAlertState(), observation, { duration_s: 0, cooldown_s: 300 }, s(0));
    expect(result).toMatchObject({ transition: "fired", notify: true, state: { phase: "firing", value: 7, mountpoint: "/data" } });
  });
});

describe("disk rules", () => {
  const diskAt = (at: number, root: number, data: number): Sample => ({
    agent_id: 1,
    timestamp: at,
    disks: [
      { mountpoint: "/", used_percent: root },
      { mountpoint: "/data", used_percent: data },
    ],
  });
  const rule = (mountpoint: string | null): Rule => cpuRule({ metric: "disk", threshold: 90, mountpoint });

  it("without a mountpoint, fires on the fullest disk and names it", () => {
    const result = evaluateSample(initialAlertState(), rule(null), diskAt(s(0), 50, 95), s(0));
    expect(result).toMatchObject({ transition: "fired", state: { value: 95, mountpoint: "/data" } });
  });

  it("with a mountpoint, watches only that disk", () => {
    const result = evaluateSample(initialAlertState(), rule("/"), diskAt(s(0), 50, 95), s(0));
    expect(result).toMatchObject({ notify: false, state: { phase: "inactive", value: 50, mountpoint: "/" } });
    expect(result.transition).toBeUndefined();
  });
});

describe("stepOffline", () => {
  const rule = { duration_s: 0, cooldown_s: 300 };
  function drive(inputs: Omit<OfflineInput, "intervalMs">[], intervalMs: number | null = null) {
    let state = initialAlertState();
    const outcomes = inputs.map((input) => {
      const result = stepOffline(state, { ...input, intervalMs }, rule);
      state = result.state;
      return outcome(result);
    });
    return { outcomes, state };
  }
  const check = (lastSeen: number, now: number) => ({ lastSeenAt: s(lastSeen), now: s(now), sawSample: false });
  const sampleArrives = (now: number) => ({ lastSeenAt: s(now), now: s(now), sawSample: true });

  it("fires after more than 30 s of silence by default, once, and the next sample resolves it", () => {
    const { outcomes, state } = drive([check(0, 10), check(0, 30), check(0, 30.001), check(0, 60), check(0, 3600), sampleArrives(3601), check(3601, 3611)]);
    expect(outcomes).toEqual(["-", "-", "fired!", "-", "-", "resolved!", "-"]);
    expect(state.phase).toBe("inactive");
  });

  it("waits three intervals for a slow agent", () => {
    expect(drive([check(0, 59), check(0, 60), check(0, 60.001)], 20_000).outcomes).toEqual(["-", "-", "fired!"]);
  });

  it("reports the silence in seconds", () => {
    expect(drive([check(0, 45)]).state).toMatchObject({ phase: "firing", value: 45 });
  });

  it("never fires for an agent that has not sent a sample", () => {
    expect(drive([{ lastSeenAt: null, now: s(3600), sawSample: false }]).outcomes).toEqual(["-"]);
  });

  it("a sample while online is not an event", () => {
    expect(drive([sampleArrives(0), check(0, 10), sampleArrives(20)]).outcomes).toEqual(["-", "-", "-"]);
  });

  it("applies the cooldown to a flapping agent", () => {
    expect(drive([check(0, 31), sampleArrives(40), check(40, 100), sampleArrives(110)]).outcomes).toEqual([
      "fired!",
      "resolved!",
      "fired",
      "resolved",
    ]);
  });
});

describe("persistence", () => {
  const roundTrip = (state: AlertState): AlertState => JSON.parse(JSON.stringify(state)) as AlertState;

  it("state is plain JSON in every phase", () => {
    const phases = [
      initialAlertState(),
      run(cpuRule({ duration_s: 60 }), [[0, 95]]).state,
      run(cpuRule(), [[0, 95]]).state,
      run(cpuRule(), [[0, 95], [10, 50]]).state,
    ];
    expect(phases.map((p) => p.phase)).toEqual(["inactive", "pending", "firing", "inactive"]);
    for (const state of phases) expect(roundTrip(state)).toStrictEqual(state);
  });

  it("a restart mid-incident neither forgets it nor notifies it twice", () => {
    const before = run(cpuRule(), [[0, 95], [10, 96]]);
    expect(before.outcomes).toEqual(["fired!", "-"]);
    const after = run(cpuRule(), [[20, 97], [30, 89], [40, 50]], roundTrip(before.state));
    expect(after.outcomes).toEqual(["-", "-", "resolved!"]);
  });

  it("a restart while pending keeps the original start of the breach", () => {
    const before = run(cpuRule({ duration_s: 60 }), [[0, 95], [30, 95]]);
    expect(run(cpuRule({ duration_s: 60 }), [[59, 95], [60, 95]], roundTrip(before.state)).outcomes).toEqual(["-", "fired!"]);
  });

  it("a restart keeps a silenced incident silent and the cooldown running", () => {
    const before = run(cpuRule(), [[0, 95], [50, 50], [100, 95]]);
    expect(before.outcomes).toEqual(["fired!", "resolved!", "fired"]);
    const after = run(cpuRule(), [[150, 50], [200, 95], [250, 50], [300, 95]], roundTrip(before.state));
    expect(after.outcomes).toEqual(["resolved", "fired", "resolved", "fired!"]);
  });

  it("a restart does not let a replayed older sample act", () => {
    const before = run(cpuRule(), [[0, 95]]);
    expect(run(cpuRule(), [[-10, 50]], roundTrip(before.state)).outcomes).toEqual(["-"]);
  });
});
