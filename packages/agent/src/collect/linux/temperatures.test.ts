/** Temperature tests: the desktop's hwmon chips (labels, duplicates, broken and unconnected sensors) and the VM that has none. */
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { recordedSource, type SystemSource } from "../source.js";
import { collectTemperatures, SENSOR_DISCOVERY_MS } from "./temperatures.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));

describe("collectTemperatures", () => {
  test("hand-made desktop: chips in number order, labels or chip names, duplicates numbered", async () => {
    const { value } = await collectTemperatures(await recordedSource(fixture("desktop-16core-cpufreq"), "t0"), undefined, 0);
    expect(value).toEqual([
      { label: "acpitz", celsius: 16.8 }, // hwmon0 has no temp1_label: the chip's name
      { label: "Composite", celsius: 38.85 },
      { label: "Sensor 1", celsius: 38.85 },
      { label: "Sensor 2", celsius: 41.85 },
      { label: "Tctl", celsius: 52.375 },
      { label: "Tccd1", celsius: 48.25 },
      { label: "Composite 2", celsius: 45.85 }, // the second NVMe drive (hwmon3)
      { label: "edge", celsius: 41 },
      // hwmon5 (iwlwifi, interface down) reads empty; hwmon10's CPUTIN reads -62 °C, an unconnected input.
      { label: "SYSTIN", celsius: 35 }, // hwmon10 sorts after hwmon5, not after hwmon1
    ]);
  });

  test("sensors are found once and read every time; looked for again after five minutes", async () => {
    const [t0, t1] = await Promise.all([recordedSource(fixture("desktop-16core-cpufreq"), "t0"), recordedSource(fixture("desktop-16core-cpufreq"), "t1")]);
    let listings = 0;
    const counted = (s: SystemSource): SystemSource => ({ ...s, listDir: (dir) => (listings++, s.listDir(dir)) });
    const first = await collectTemperatures(counted(t0), undefined, 0);
    const afterDiscovery = listings;
    const second = await collectTemperatures(counted(t1), first.state, 1000);
    expect(listings).toBe(afterDiscovery);
    expect(second.value?.find((t) => t.label === "Tctl")?.celsius).toBe(55.125);
    await collectTemperatures(counted(t1), second.state, SENSOR_DISCOVERY_MS);
    expect(listings).toBe(afterDiscovery * 2);
  });

  test("a machine without hwmon has no temperatures (absent, not an empty list)", async () => {
    const { value } = await collectTemperatures(await recordedSource(fixture("vm-2core-debian12")), undefined, 0);
    expect(value).toBeUndefined();
  });
});
