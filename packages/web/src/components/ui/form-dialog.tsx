/** A dialog around one form, with Cancel and the submit button in its footer tied to the form by id (so Enter in a field submits too). */
import { useId, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

interface FormDialogProps {
  open?: boolean;
  onClose: () => void;
  title: ReactNode;
  icon?: ReactNode;
  width?: "sm" | "md" | "lg" | "xl";
  submitLabel: ReactNode;
  /** The request is in flight: the submit button spins and refuses another click. */
  busy: boolean;
  /** Called instead of the browser's submission; the form checks its own fields (noValidate) to word the errors. */
  onSubmit: () => void | Promise<void>;
  /** The spacing of the form's children. */
  className?: string;
  children: ReactNode;
}

export function FormDialog({ open = true, onClose, title, icon, width = "sm", submitLabel, busy, onSubmit, className = "space-y-3", children }: FormDialogProps) {
  const formId = useId();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      icon={icon}
      width={width}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} busy={busy}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void onSubmit();
        }}
        className={className}
      >
        {children}
      </form>
    </Dialog>
  );
}
