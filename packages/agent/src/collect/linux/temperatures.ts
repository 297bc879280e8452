/** Temperatures from the kernel's hwmon sensors (/sys/class/hwmon/hwmonN/tempM_input, millidegrees Celsius). */
import { MAX_TEMPERATURES } from "@statusmonitor/protocol/limits";
import type { Collector } from "../collector.js";
import type { SystemSource } from "../source.js";

/** Sensors rarely appear after boot (a hot-plugged NVMe drive): they are looked for again after this long. */
export const SENSOR_DISCOVERY_MS = 300_000;

/** Outside this range a reading comes from an unconnected input, not from hardware that is still running. */
export const MIN_PLAUSIBLE_C = -40;
export const MAX_PLAUSIBLE_C = 150;

export interface Sensor {
  input: string;
  label: string;
}

export interface TemperaturesState {
  sensors: Sensor[];
  discoveredAt: number;
}

export interface Temperature {
  label: string;
  celsius: number;
}

const HWMON = "/sys/class/hwmon";
const byNumber = (prefix: string) => (a: string, b: string) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length));

/**
 * Each sensor's label is its tempM_label, else the chip's name; when two sensors end up with the
 * same label (two NVMe drives both say "Composite"), the later ones get " 2", " 3" … so that every
 * series on the dashboard stays distinct and stable across samples.
 */
export async function discoverSensors(source: SystemSource): Promise<Sensor[]> {
  const chips = (await source.listDir(HWMON)).filter((n) => /^hwmon\d+$/.test(n)).sort(byNumber("hwmon"));
  const perChip = await Promise.all(
    chips.map(async (chip) => {
      const dir = `${HWMON}/${chip}`;
      const [files, name] = await Promise.all([source.listDir(dir), source.readText(`${dir}/name`)]);
      const inputs = files.filter((f) => /^temp\d+_input$/.test(f)).sort(byNumber("temp"));
      return Promise.all(
        inputs.map(async (input) => {
          const label = (await source.readText(`${dir}/${input.replace("_input", "_label")}`))?.trim();
          return { input: `${dir}/${input}`, label: label || name?.trim() || chip };
        }),
      );
    }),
  );
  const seen = new Map<string, number>();
  return perChip.flat().map((sensor) => {
    const count = (seen.get(sensor.label) ?? 0) + 1;
    seen.set(sensor.label, count);
    return count === 1 ? sensor : { ...sensor, label: `${sensor.label} ${count}` };
  });
}

export const collectTemperatures: Collector<TemperaturesState, Temperature[]> = async (source, prev, now) => {
  const state = prev && now - prev.discoveredAt < SENSOR_DISCOVERY_MS ? prev : { sensors: await discoverSensors(source), discoveredAt: now };
  const readings = await Promise.all(
    state.sensors.map(async ({ input, label }) => {
      const text = (await source.readText(input))?.trim();
      const celsius = Number(text) / 1000;
      // A sensor that is asleep answers with an error; an input with nothing wired to it answers
      // a fixed nonsense value (-62 °C, -128 °C, 255.5 °C on Super I/O chips). Both are left out.
      return text && Number.isFinite(celsius) && celsius >= MIN_PLAUSIBLE_C && celsius <= MAX_PLAUSIBLE_C ? { label: label.slice(0, 128), celsius } : undefined;
    }),
  );
  const value = readings.filter((r): r is Temperature => r !== undefined).slice(0, MAX_TEMPERATURES);
  return { state, value: value.length > 0 ? value : undefined };
};
