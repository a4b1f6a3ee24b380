import { SkeletonRows } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true">
      <div className="card" style={{ marginBottom: "1rem" }}>
        <div className="skeleton" style={{ width: "16rem", height: "2rem" }} />
        <div
          className="skeleton"
          style={{ width: "28rem", maxWidth: "100%", marginTop: "0.75rem" }}
        />
      </div>
      <SkeletonRows rows={4} />
      <div style={{ height: "1rem" }} />
      <SkeletonRows rows={6} />
    </div>
  );
}
