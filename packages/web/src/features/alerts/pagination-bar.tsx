/** "Showing 1–25 of 312" with previous and next buttons under the event log. */
import { Button } from "../../components/ui/button";
import { pageInfo, showingText } from "./pagination";

export function PaginationBar({ total, limit, offset, onOffset }: { total: number; limit: number; offset: number; onOffset: (offset: number) => void }) {
  const info = pageInfo(total, limit, offset);
  if (total === 0) return null;
  return (
    <nav aria-label="Event pages" className="flex flex-wrap items-center justify-between gap-2 pt-1">
      <p aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {showingText(info)}
      </p>
      <div className="flex items-center gap-2">
        <span className="text-xs text-slate-500 dark:text-slate-400">
          Page {info.page} of {info.pages}
        </span>
        <Button size="sm" variant="secondary" disabled={info.prevOffset === null} onClick={() => info.prevOffset !== null && onOffset(info.prevOffset)}>
          Previous
        </Button>
        <Button size="sm" variant="secondary" disabled={info.nextOffset === null} onClick={() => info.nextOffset !== null && onOffset(info.nextOffset)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
