/** Page arithmetic of the event log: which rows are shown, "Showing 1–25 of 312", and where previous and next lead. */

export interface PageInfo {
  /** 1-based number of the first row shown; 0 when nothing is shown. */
  first: number;
  last: number;
  total: number;
  page: number;
  pages: number;
  prevOffset: number | null;
  nextOffset: number | null;
}

export function pageInfo(total: number, limit: number, offset: number): PageInfo {
  const shown = Math.max(0, Math.min(limit, total - offset));
  return {
    first: shown > 0 ? offset + 1 : 0,
    last: offset + shown,
    total,
    page: Math.floor(offset / limit) + 1,
    pages: Math.max(1, Math.ceil(total / limit)),
    prevOffset: offset > 0 ? Math.max(0, Math.min(offset - limit, lastPageOffset(total, limit))) : null,
    nextOffset: offset + limit < total ? offset + limit : null,
  };
}

/** Where the last page starts: an offset past the end (events cleared or expired meanwhile) is sent here. */
export function lastPageOffset(total: number, limit: number): number {
  return total <= 0 ? 0 : Math.floor((total - 1) / limit) * limit;
}

/** "Showing 1–25 of 312"; with an en dash, and thousands separated so big logs stay readable. */
export function showingText(info: PageInfo): string {
  if (info.total === 0) return "No events";
  const n = (value: number) => value.toLocaleString("en-US");
  if (info.first === 0) return `Nothing on this page (${n(info.total)} in all)`;
  return `Showing ${n(info.first)}–${n(info.last)} of ${n(info.total)}`;
}
