import type { ReactNode } from "react";
import { requirePage } from "@/lib/auth/with-auth";

/** Print views: no app shell, no navigation; the same gate as the clinic pages. */
export default async function PrintLayout({ children }: { children: ReactNode }) {
  await requirePage("patients.read");
  return (
    <main id="main" style={{ maxWidth: "52rem", margin: "0 auto", padding: "1.5rem" }}>
      {children}
    </main>
  );
}
