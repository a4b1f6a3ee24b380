import { QualityPageSkeleton } from "@/components/quality/quality-skeleton";

export default function Loading() {
  return <QualityPageSkeleton />;
}
