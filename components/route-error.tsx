"use client";

/** A page-level error: plain words and a retry, never a stack trace. */
export function RouteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="alert alert-error" role="alert">
      <div>
        <strong>This page could not be loaded.</strong>
        <p style={{ margin: "0.25rem 0 0.75rem" }}>
          The problem was logged. Your data is safe; try again, and if it keeps happening tell your
          administrator.
        </p>
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
