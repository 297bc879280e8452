/** The history range picker: preset buttons as a segmented control and a custom from/to form in the user's time zone. */
import { useId, useState, type FormEvent } from "react";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { RANGE_PRESETS, toDateTimeLocal, validateCustomRange, type HistoryRange, type Span } from "./history-range";

interface RangePickerProps {
  range: HistoryRange;
  /** What the charts show now, to start the custom form from. */
  view: Span;
  timeZone: string;
  onChange(range: HistoryRange): void;
}

const SEGMENT =
  "h-8 min-w-10 px-2.5 text-sm font-medium transition-colors focus-visible:relative focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500";
const SEGMENT_OFF = "bg-white text-slate-700 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800";
const SEGMENT_ON = "bg-indigo-600 text-white dark:bg-indigo-500 dark:text-white";

export function RangePicker({ range, view, timeZone, onChange }: RangePickerProps) {
  const [customOpen, setCustomOpen] = useState(false);
  const formId = useId();
  const custom = range.kind === "absolute";
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <div role="group" aria-label="Time range" className="flex w-fit max-w-full flex-wrap overflow-hidden rounded-lg border border-slate-300 divide-x divide-slate-300 dark:border-slate-700 dark:divide-slate-700">
        {RANGE_PRESETS.map((preset) => {
          const pressed = range.kind === "preset" && range.preset === preset.key;
          return (
            <button
              key={preset.key}
              type="button"
              title={preset.title}
              aria-pressed={pressed}
              className={`${SEGMENT} ${pressed ? SEGMENT_ON : SEGMENT_OFF}`}
              onClick={() => {
                setCustomOpen(false);
                onChange({ kind: "preset", preset: preset.key });
              }}
            >
              {preset.key}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={custom}
          aria-expanded={customOpen}
          aria-controls={formId}
          className={`${SEGMENT} ${custom ? SEGMENT_ON : SEGMENT_OFF}`}
          onClick={() => setCustomOpen((open) => !open)}
        >
          Custom
        </button>
      </div>
      {customOpen && (
        <CustomRangeForm
          id={formId}
          initial={view}
          timeZone={timeZone}
          onApply={(next) => {
            setCustomOpen(false);
            onChange(next);
          }}
          onCancel={() => setCustomOpen(false)}
        />
      )}
    </div>
  );
}

function CustomRangeForm({ id, initial, timeZone, onApply, onCancel }: { id: string; initial: Span; timeZone: string; onApply(range: HistoryRange): void; onCancel(): void }) {
  const [from, setFrom] = useState(() => toDateTimeLocal(initial.from, timeZone));
  const [to, setTo] = useState(() => toDateTimeLocal(Math.min(initial.to, Date.now()), timeZone));
  const [errors, setErrors] = useState<Partial<Record<"from" | "to", string>>>({});
  const max = toDateTimeLocal(Date.now(), timeZone);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateCustomRange(from, to, Date.now(), timeZone);
    if (result.ok) onApply(result.range);
    else setErrors(result.errors);
  };

  return (
    <form
      id={id}
      onSubmit={submit}
      noValidate
      aria-label="Custom time range"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:flex-row sm:items-start dark:border-slate-800 dark:bg-slate-900"
    >
      <TextField
        label="From"
        type="datetime-local"
        value={from}
        max={max}
        onChange={(event) => {
          setFrom(event.target.value);
          setErrors({});
        }}
        error={errors.from}
        hint={`Your time zone: ${timeZone}`}
        className="sm:w-56"
      />
      <TextField
        label="To"
        type="datetime-local"
        value={to}
        max={max}
        onChange={(event) => {
          setTo(event.target.value);
          setErrors({});
        }}
        error={errors.to}
        hint="Up to now; at most 365 days after “From”."
        className="sm:w-56"
      />
      <div className="flex gap-2 sm:pt-6">
        <Button type="submit" size="md">
          Apply
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
