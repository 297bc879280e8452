/** The data table of the design system: a frame that scrolls sideways on narrow screens, column headers and the shared cell classes. */
import type { ReactNode } from "react";

/**
 * How far the scroller reaches past its container's padding, so a wide table uses the whole width:
 * `phone` to a card's edges on phones only, `card` to a card's edges always, `dialog` to a dialog's
 * edges with the cells still inside its padding.
 */
type Bleed = "phone" | "card" | "dialog";
const BLEEDS: Record<Bleed, string> = { phone: "-mx-4 sm:mx-0", card: "-mx-4 sm:-mx-5", dialog: "-mx-5 px-5" };

/** A body cell on one line: figures, names, sizes. */
export const CELL = "px-3 py-2 whitespace-nowrap";
/** A body cell holding a number: on one line, right-aligned. */
export const FIGURE_CELL = `${CELL} text-right`;
/** A body cell of text that may wrap, with more air around it. */
export const TEXT_CELL = "px-3 py-2.5";
/** Added to a row's `<th scope="row">`: the row's name stands out from its values. */
export const ROW_HEADER = "text-left font-medium text-slate-900 dark:text-slate-100";

interface ScrollTableProps {
  /** Below this width the table scrolls instead of squeezing its columns (a CSS length, e.g. "44rem"). */
  minWidth: string;
  /** Names the table for screen readers; not shown. */
  caption?: string;
  /** The column headers, usually HeaderCells. */
  head: ReactNode;
  /** The body rows. */
  children: ReactNode;
  bleed?: Bleed;
  /** A tinted header band between two lines instead of one line under the header. */
  banded?: boolean;
  /** A table of measurements: tabular figures in a softer colour, so the row names stand out. */
  figures?: boolean;
}

export function ScrollTable({ minWidth, caption, head, children, bleed = "phone", banded = false, figures = false }: ScrollTableProps) {
  return (
    // `relative` keeps visually hidden (absolutely placed) inputs, such as a switch's, inside the scroller; else they widen the page on phones.
    <div className={`relative overflow-x-auto ${BLEEDS[bleed]}`}>
      <table className={`w-full text-sm ${figures ? "tabular text-slate-700 dark:text-slate-300" : ""}`} style={{ minWidth }}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className={banded ? "border-y border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950/40" : "border-b border-slate-200 dark:border-slate-800"}>
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

interface HeaderCellProps {
  align?: "left" | "right";
  /** px-4 instead of px-3, for a table that reaches its card's edges. */
  wide?: boolean;
  className?: string;
  children?: ReactNode;
}

/** A column header: a small uppercase label on one line. */
export function HeaderCell({ align = "left", wide = false, className = "", children }: HeaderCellProps) {
  return (
    <th
      scope="col"
      className={`${wide ? "px-4" : "px-3"} py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-500 uppercase dark:text-slate-400 ${align === "right" ? "text-right" : "text-left"} ${className}`}
    >
      {children}
    </th>
  );
}
