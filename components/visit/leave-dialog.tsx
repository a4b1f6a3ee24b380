"use client";

import { useEffect, useRef } from "react";
import styles from "./visit.module.css";

/** "Leave without saving?" as a modal dialog; "Keep editing" has the focus. */
export function LeaveDialog({
  open,
  onStay,
  onLeave,
}: {
  open: boolean;
  onStay: () => void;
  onLeave: () => void;
}) {
  const ref = useRef<HTMLDialogElement | null>(null);
  const stayRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
      stayRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby="leave-dialog-title"
      aria-describedby="leave-dialog-text"
      onCancel={(event) => {
        event.preventDefault();
        onStay();
      }}
    >
      <h2 id="leave-dialog-title">Leave without saving?</h2>
      <p id="leave-dialog-text">
        The results entered on this visit have not been saved. If you leave now they are lost.
      </p>
      <div className={styles.dialogActions}>
        <button type="button" className="btn btn-danger" onClick={onLeave}>
          Leave without saving
        </button>
        <button type="button" className="btn btn-primary" ref={stayRef} onClick={onStay}>
          Keep editing
        </button>
      </div>
    </dialog>
  );
}
