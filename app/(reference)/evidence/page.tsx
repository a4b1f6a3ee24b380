import type { Metadata } from "next";
import { CATEGORY_LABEL } from "@/components/clinical/labels";
import { SeverityBadge } from "@/components/ui/badge";
import { requirePage } from "@/lib/auth/with-auth";
import {
  EVIDENCE,
  getEvidence,
  RULES,
  RULESET_POLICY,
  RULESET_VERSION,
  SUGGESTIONS,
} from "@/lib/clinical";
import { EvidenceFilter } from "./evidence-filter";

export const metadata: Metadata = { title: "Evidence" };

/** Flattens the policy object into "freshness.phq9.currentDays" → 90 rows. */
function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      flatten(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [
    [prefix, value === null ? "none" : typeof value === "string" ? value : JSON.stringify(value)],
  ];
}

const CATEGORY_TEXT: Record<string, string> = {
  ...CATEGORY_LABEL,
  investigational: "Investigational (not a recommendation)",
};

/** Sources as links to their entries further down this page. */
function SourceLinks({ ids }: { ids: readonly string[] }) {
  return ids.map((id, i) => (
    <span key={id}>
      {i > 0 ? ", " : ""}
      <a href={`#${id}`}>{getEvidence(id)?.label ?? id}</a>
    </span>
  ));
}

export default async function EvidencePage() {
  await requirePage("evidence.read");
  const policy = flatten(RULESET_POLICY);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Evidence and rules</h1>
          <p className="muted" style={{ margin: 0 }}>
            Ruleset version <strong>{RULESET_VERSION}</strong>. Every flag, threshold and suggestion
            with its source. Values marked <em>policy</em> are product choices, changed only with a
            new ruleset version.
          </p>
        </div>
      </div>
      <EvidenceFilter />
      <nav aria-label="On this page" className="card no-print" style={{ marginBottom: "1rem" }}>
        <a href="#rules">Rules (flags)</a> · <a href="#suggestions">Suggestions</a> ·{" "}
        <a href="#policy">Policy values</a> · <a href="#sources">Sources</a>
      </nav>

      <h2 id="rules">Rules</h2>
      {RULES.map((rule) => (
        <section
          key={rule.code}
          id={rule.anchor}
          className="card"
          data-search={`${rule.code} ${rule.title} ${rule.when} ${rule.thresholds.join(" ")} ${rule.sources.join(" ")}`.toLowerCase()}
          aria-labelledby={`${rule.anchor}-title`}
        >
          <h3 id={`${rule.anchor}-title`} style={{ marginTop: 0 }}>
            {rule.title} <code className="muted">{rule.code}</code>
          </h3>
          <p style={{ margin: "0.25rem 0" }}>
            <strong>Fires when:</strong> {rule.when}
          </p>
          <p style={{ margin: "0.25rem 0" }}>
            <strong>Severity:</strong> {rule.severity}{" "}
            {rule.severities.map((s) => (
              <SeverityBadge key={s} severity={s} />
            ))}
            {rule.usesPolicy ? (
              <span className="badge sev-info" style={{ marginLeft: "0.4rem" }}>
                uses policy
              </span>
            ) : null}
          </p>
          <p style={{ margin: "0.25rem 0 0.1rem" }}>
            <strong>Thresholds:</strong>
          </p>
          <ul style={{ margin: 0 }}>
            {rule.thresholds.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
          <p style={{ margin: "0.4rem 0 0" }}>
            <strong>Sources:</strong> <SourceLinks ids={rule.sources} />
          </p>
        </section>
      ))}

      <h2 id="suggestions">Suggestions</h2>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">
            Care suggestions with their category and sources
          </caption>
          <thead>
            <tr>
              <th scope="col">Suggestion</th>
              <th scope="col">Category</th>
              <th scope="col">Sources</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(SUGGESTIONS).map((s) => (
              <tr
                key={s.id}
                id={`suggestion-${s.id}`}
                data-search={`${s.id} ${s.title} ${s.detail} ${s.category}`.toLowerCase()}
              >
                <td>
                  <strong>{s.title}</strong>
                  <div className="muted" style={{ fontSize: "0.9rem" }}>
                    {s.detail}
                  </div>
                </td>
                <td>{CATEGORY_TEXT[s.category] ?? s.category}</td>
                <td>
                  <SourceLinks ids={s.sources} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="policy">Policy values</h2>
      <p className="muted">
        Product choices of ruleset {RULESET_VERSION} (not published thresholds).
      </p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Policy values of the ruleset</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col" className="num">
                Value
              </th>
            </tr>
          </thead>
          <tbody>
            {policy.map(([k, v]) => (
              <tr key={k} data-search={`policy ${k} ${v}`.toLowerCase()}>
                <td>
                  <code>{k}</code>
                </td>
                <td className="num">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="sources">Sources</h2>
      {Object.values(EVIDENCE).map((e) => (
        <section
          key={e.id}
          id={e.id}
          className="card"
          data-search={`${e.id} ${e.label} ${e.authors} ${e.title} ${e.publisher} ${e.usedFor}`.toLowerCase()}
          aria-labelledby={`${e.id}-title`}
        >
          <h3 id={`${e.id}-title`} style={{ marginTop: 0 }}>
            {e.label}
          </h3>
          <p style={{ margin: "0.25rem 0" }}>
            {e.authors}. <em>{e.title}</em>. {e.publisher}
            {e.year ? ` (${e.year})` : ""}.{" "}
            <a href={e.url} rel="noreferrer noopener" target="_blank">
              {e.doi ? `doi:${e.doi}` : e.url}
            </a>
          </p>
          <p className="muted" style={{ margin: "0.25rem 0 0" }}>
            Used for: {e.usedFor}
          </p>
          {e.verificationNote ? (
            <p className="muted" style={{ margin: "0.25rem 0 0" }}>
              Note: {e.verificationNote}
            </p>
          ) : null}
          <p style={{ margin: "0.25rem 0 0", fontSize: "0.875rem" }}>
            <code>{e.id}</code>
          </p>
        </section>
      ))}
    </>
  );
}
