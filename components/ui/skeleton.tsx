/** Placeholder rows while a page loads. */
export function SkeletonRows({ rows = 6 }: { rows?: number }) {
  return (
    // An indeterminate progress bar: a name on a plain div is not read (and axe refuses it).
    <div role="progressbar" aria-busy="true" aria-label="Loading" className="card">
      {Array.from({ length: rows }, (_, i) => (
        <div
          key={i}
          className="skeleton"
          style={{ height: "1.25rem", margin: "0.6rem 0", width: `${90 - (i % 3) * 15}%` }}
        />
      ))}
    </div>
  );
}
