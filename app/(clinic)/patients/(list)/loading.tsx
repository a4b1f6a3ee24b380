import { SkeletonRows } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <div className="skeleton" style={{ width: "12rem", height: "2rem" }} />
      </div>
      <SkeletonRows rows={10} />
    </>
  );
}
