/** The outcome of "Send test", one line per channel, announced to screen readers when it appears. */
import { Icon } from "../../components/ui/icons";
import { CHANNEL_LABELS, type TestLine } from "./channel-form";

export function ChannelTestResults({ lines, onDismiss }: { lines: TestLine[]; onDismiss: () => void }) {
  const allOk = lines.every((line) => line.ok);
  return (
    <div
      role="status"
      aria-label="Test results"
      className={`flex items-start gap-3 rounded-lg border px-3 py-2 text-sm ${
        allOk
          ? "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100"
          : "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100"
      }`}
    >
      <ul className="min-w-0 flex-1 space-y-1">
        {lines.map((line) => (
          <li key={line.channel} className="flex items-start gap-2 break-words">
            <Icon
              name={line.ok ? "check" : "warning"}
              className={`mt-0.5 size-4 shrink-0 ${line.ok ? "text-emerald-600 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}`}
            />
            <span>
              <strong className="font-medium">{CHANNEL_LABELS[line.channel]}:</strong> {line.text}
            </span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDismiss} aria-label="Dismiss test results" className="-m-1 rounded p-1 opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-current">
        ✕
      </button>
    </div>
  );
}
