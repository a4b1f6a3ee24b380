import { getEvidence } from "@/lib/clinical/evidence";

/** A link to one source on the evidence page (`/evidence#<id>`), labelled "Kroenke 2001". */
export function EvidenceLink({ id }: { id: string }) {
  const source = getEvidence(id);
  return (
    <a href={`/evidence#${id}`} title={source ? `${source.title}. ${source.publisher}` : undefined}>
      {source?.label ?? id}
    </a>
  );
}

/** "Sources: Kroenke 2001, USPSTF 2023" with each one linked. */
export function EvidenceLinks({
  sources,
  label = "Sources",
}: {
  sources: readonly string[];
  label?: string;
}) {
  if (sources.length === 0) return null;
  return (
    <span>
      {label}:{" "}
      {sources.map((id, index) => (
        <span key={id}>
          {index > 0 ? ", " : null}
          <EvidenceLink id={id} />
        </span>
      ))}
    </span>
  );
}
