import type { ReactNode } from "react";
import { requirePage } from "@/lib/auth/with-auth";

export default async function RegistrationLayout({ children }: { children: ReactNode }) {
  await requirePage("patients.create");
  return children;
}
