/**
 * A modal dialog on the native <dialog> element: focus is trapped and restored by the browser, Escape
 * and a click on the backdrop close it, and the title labels it for screen readers.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";

type Width = "sm" | "md" | "lg" | "xl";
const WIDTHS: Record<Width, string> = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-3xl", xl: "max-w-5xl" };

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  icon?: ReactNode;
  width?: Width;
  children: ReactNode;
  footer?: ReactNode;
}

export function Dialog({ open, onClose, title, icon, width = "md", children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // Closing unmounts the <dialog> while it is still open, so the browser never runs close(), which is
  // what hands the focus back: do it here, or a keyboard user is left at the top of the page.
  // Declared before the effect below so it sees the focus before showModal() moves it.
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    if (!open) return;
    // StrictMode runs this a second time with the focus already inside: keep the first answer.
    if (!ref.current?.contains(document.activeElement)) opener.current = document.activeElement;
    return () => {
      const target = opener.current;
      if (target instanceof HTMLElement && target.isConnected) target.focus();
    };
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      className={`m-auto max-h-[min(92dvh,60rem)] w-[calc(100%-1.5rem)] ${WIDTHS[width]} overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/50 backdrop:backdrop-blur-[1px] dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      <div className="flex max-h-[min(92dvh,60rem)] flex-col">
        <header className="flex items-center gap-2 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
          {icon && <span className="text-indigo-600 dark:text-indigo-400">{icon}</span>}
          <h2 id={titleId} className="min-w-0 flex-1 truncate text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800 dark:hover:text-white"
          >
            <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </header>
        <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        {footer && <footer className="flex flex-wrap justify-end gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-800">{footer}</footer>}
      </div>
    </dialog>
  );
}
