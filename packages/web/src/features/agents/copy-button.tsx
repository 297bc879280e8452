/**
 * Copies a text with feedback. The Clipboard API exists only in secure contexts, and a self-hosted hub is
 * often reached over plain http on a LAN: there the text is selected in place (and copied with the old
 * command where the browser still allows it) so Ctrl+C finishes the job.
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import { Button } from "../../components/ui/button";
import { Icon } from "../../components/ui/icons";

type Outcome = "idle" | "copied" | "selected";

/** Selects the element's text: the value of an input or textarea, else its contents. */
export function selectContents(element: HTMLElement | null): void {
  if (!element) return;
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    element.focus();
    element.select();
    return;
  }
  const selection = window.getSelection();
  selection?.selectAllChildren(element);
}

async function copy(text: string, target: HTMLElement | null): Promise<Outcome> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return "copied";
    }
  } catch {
    // Permission refused or the document lost focus: fall back to selecting.
  }
  selectContents(target);
  try {
    // Deprecated, but the only copy that works over plain http; it copies the selection made above.
    if (target && document.execCommand("copy")) return "copied";
  } catch {
    // Not allowed here either: the selection stays for Ctrl+C.
  }
  return "selected";
}

interface CopyButtonProps {
  text: string;
  /** The element showing the text, selected when the clipboard cannot be used. */
  target: RefObject<HTMLElement | null>;
  /** The accessible name, e.g. "Copy token". */
  label: string;
  /** Visible text before copying; defaults to "Copy". */
  children?: string;
  variant?: "primary" | "secondary";
}

export function CopyButton({ text, target, label, children = "Copy", variant = "secondary" }: CopyButtonProps) {
  const [outcome, setOutcome] = useState<Outcome>("idle");
  const reset = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(reset.current), []);

  const onClick = async () => {
    const result = await copy(text, target.current);
    setOutcome(result);
    window.clearTimeout(reset.current);
    reset.current = window.setTimeout(() => setOutcome("idle"), result === "copied" ? 2_000 : 6_000);
  };

  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant={variant} aria-label={label} onClick={() => void onClick()}>
        <Icon name={outcome === "copied" ? "check" : "copy"} className="size-4" />
        {outcome === "copied" ? "Copied" : children}
      </Button>
      {/* Announced once per copy; the button's own name stays stable for keyboard and test users. */}
      <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
        {outcome === "selected" ? "Selected: press Ctrl+C (⌘C) to copy" : outcome === "copied" ? <span className="sr-only">Copied to the clipboard</span> : null}
      </span>
    </span>
  );
}
