"use client";

/** Opens the browser's print dialog; hidden in print. */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" className="btn btn-primary no-print" onClick={() => window.print()}>
      {label}
    </button>
  );
}
