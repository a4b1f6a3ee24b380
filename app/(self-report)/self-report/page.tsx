import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { SelfReportFlow } from "@/components/self-report/self-report-flow";
import styles from "@/components/self-report/self-report.module.css";
import { getDb } from "@/db/client";
import { clientIp, userAgentOf } from "@/lib/auth/client-address";
import { readSelfReportCookie, SELF_REPORT_COOKIE } from "@/lib/auth/self-report-cookie";
import { loadSessionView } from "@/lib/server/self-report-session";

export const metadata: Metadata = {
  title: "Questionnaire",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

/**
 * The patient's questionnaire (no staff session): the self-report the cookie set by /r/<token>
 * names. Without one, or once it can no longer be answered, plain words and nothing else.
 */
export default async function SelfReportPage() {
  const claims = await readSelfReportCookie((await cookies()).get(SELF_REPORT_COOKIE)?.value);
  const h = await headers();
  const view = claims
    ? await loadSessionView(await getDb(), claims.sid, claims.verified, {
        ip: clientIp(h),
        userAgent: userAgentOf(h),
      })
    : null;
  return (
    <main id="main" className={styles.page}>
      {view ? (
        <SelfReportFlow initial={view} />
      ) : (
        <section className={styles.card}>
          <h1 className={styles.heading}>Questionnaire</h1>
          <p>
            {claims
              ? "This questionnaire has already been sent or has expired. Please contact your clinic."
              : "Please open the link your clinic sent you to answer the questions."}
          </p>
        </section>
      )}
    </main>
  );
}
