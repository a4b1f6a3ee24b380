import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePage } from "@/lib/auth/with-auth";
import { formatDate } from "@/lib/clinical/dates";
import { listTreatToTarget } from "@/lib/server/worklist";

export const metadata: Metadata = { title: "Treat to target" };

/** Patients whose depression is not improving (no 50 % response in 10–12 weeks) and their PHQ-9s. */
export default async function TreatToTargetPage() {
  const ctx = await requirePage("worklist.read");
  const { items } = await listTreatToTarget(ctx);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Treat to target</h1>
          <p className="muted" style={{ margin: 0 }}>
            Patients with a PHQ-9 ≥ 10 that has not dropped by half over at least 10 weeks (
            <a href="/evidence#aims-treat-to-target">collaborative care, treat to target</a>).
          </p>
        </div>
        <Link className="btn" href="/worklist">
          Back to worklist
        </Link>
      </div>
      {items.length === 0 ? (
        <EmptyState title="No patient is flagged as not improving">
          <p>Patients appear here when a follow-up PHQ-9 shows less than a 50 % drop.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Patients not improving and their PHQ-9 totals over time
            </caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Site</th>
                <th scope="col">Flag open since</th>
                <th scope="col">PHQ-9 totals (oldest → newest)</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.flagId}>
                  <td>
                    <Link href={`/patients/${i.patientId}`}>
                      {i.familyName}, {i.givenName}
                    </Link>
                  </td>
                  <td>{i.siteCode}</td>
                  <td>{formatDate(i.openedAt.slice(0, 10))}</td>
                  <td>
                    {i.phq9.map((p, n) => (
                      <span
                        key={`${p.effective}-${n}`}
                        style={{ marginRight: "0.75rem", whiteSpace: "nowrap" }}
                      >
                        <strong>{p.total}</strong>{" "}
                        <span className="muted">({formatDate(p.effective)})</span>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
