import type { ReactNode } from "react";
import { requirePage } from "@/lib/auth/with-auth";

export default async function VisitEntryLayout({ children }: { children: ReactNode }) {
  await requirePage("visits.create");
  return children;
}
