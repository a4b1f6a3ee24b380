import type { Metadata } from "next";
import Link from "next/link";
import { PriorityBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { listPatientsQuerySchema } from "@/lib/api/patients";
import { requirePage } from "@/lib/auth/with-auth";
import { ageOn, formatDate } from "@/lib/clinical/dates";
import { listPatients } from "@/lib/server/patients";

export const metadata: Metadata = { title: "Patients" };

const SEX_LABEL = { female: "F", male: "M", other: "Other", unknown: "Unknown" } as const;

export default async function PatientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requirePage("patients.read");
  const raw = await searchParams;
  const parsed = listPatientsQuerySchema.safeParse({
    q: typeof raw.q === "string" ? raw.q : undefined,
    cursor: typeof raw.cursor === "string" ? raw.cursor : undefined,
  });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const page = await listPatients(ctx, query);
  const today = new Date().toISOString().slice(0, 10);
  const q = "q" in query ? (query.q ?? "") : "";
  return (
    <>
      <div className="page-header">
        <h1>Patients</h1>
      </div>
      <form
        method="get"
        role="search"
        className="card"
        style={{ display: "flex", gap: "0.75rem", alignItems: "flex-end", marginBottom: "1rem" }}
      >
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor="patient-search">Find a patient</label>
          <input
            id="patient-search"
            name="q"
            className="input"
            defaultValue={q}
            placeholder="Name, MRN or birth date (YYYY-MM-DD)"
            autoFocus
          />
        </div>
        <button className="btn btn-primary" type="submit">
          Search
        </button>
      </form>
      {page.items.length === 0 ? (
        <EmptyState title={q ? "No patient matches" : "No patients yet"}>
          <p>
            {q
              ? "Check the spelling, or search by MRN or birth date."
              : "Patients of your sites appear here once registered."}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Patients of your sites</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Age
                </th>
                <th scope="col">Sex</th>
                <th scope="col">MRN</th>
                <th scope="col">Site</th>
                <th scope="col" className="num">
                  Open flags
                </th>
                <th scope="col">Last visit</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <PriorityBadge priority={p.priority} />
                  </td>
                  <td>
                    <Link href={`/patients/${p.id}`}>
                      {p.familyName}, {p.givenName}
                    </Link>
                  </td>
                  <td className="num">
                    {ageOn(p.birthDate, today)}{" "}
                    <span className="muted">({formatDate(p.birthDate)})</span>
                  </td>
                  <td>{SEX_LABEL[p.sex]}</td>
                  <td>{p.mrn}</td>
                  <td>{p.siteCode}</td>
                  <td className="num">{p.openFlagCount}</td>
                  <td>
                    {p.lastVisitOn ? (
                      formatDate(p.lastVisitOn)
                    ) : (
                      <span className="muted">No visit</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        {query.cursor ? (
          <Link className="btn" href={q ? `/patients?q=${encodeURIComponent(q)}` : "/patients"}>
            First page
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            className="btn"
            href={`/patients?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor }).toString()}`}
          >
            Next page
          </Link>
        ) : null}
      </div>
    </>
  );
}
