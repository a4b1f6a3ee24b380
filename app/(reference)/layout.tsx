import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { shellProps } from "@/lib/auth/shell";
import { requirePage } from "@/lib/auth/with-auth";

export default async function Layout({ children }: { children: ReactNode }) {
  const { actor } = await requirePage("evidence.read");
  return <AppShell {...shellProps(actor)}>{children}</AppShell>;
}
