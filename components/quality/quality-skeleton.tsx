import styles from "./quality.module.css";

/** Placeholder tiles while the metrics load. */
export function TilesSkeleton({ count = 6 }: { count?: number }) {
  return (
    <div className={styles.tiles} role="progressbar" aria-busy="true" aria-label="Loading metrics">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className={styles.tile}>
          <div className="skeleton" style={{ height: "1rem", width: "70%" }} />
          <div
            className="skeleton"
            style={{ height: "2rem", width: "40%", marginTop: "0.75rem" }}
          />
          <div
            className="skeleton"
            style={{ height: "2rem", width: "100%", marginTop: "0.75rem" }}
          />
        </div>
      ))}
    </div>
  );
}

/** Placeholder charts while the chart code or the metrics load. */
export function ChartsSkeleton() {
  return (
    <div
      className={styles.chartsSkeleton}
      role="progressbar"
      aria-busy="true"
      aria-label="Loading charts"
    >
      <div className="skeleton" style={{ height: "16rem" }} />
      <div className="skeleton" style={{ height: "16rem" }} />
    </div>
  );
}

/** The whole page while the route loads. */
export function QualityPageSkeleton() {
  return (
    <div role="progressbar" aria-busy="true" aria-label="Loading">
      <div className="skeleton" style={{ height: "2rem", width: "12rem", marginBottom: "1rem" }} />
      <div className="card">
        <div className="skeleton" style={{ height: "2.5rem" }} />
      </div>
      <div style={{ marginTop: "1.5rem" }}>
        <TilesSkeleton />
      </div>
    </div>
  );
}
