/** The URL query keys the audit viewer understands (everything else is ignored). */
export const AUDIT_PARAM_KEYS = ["user", "patient", "action", "outcome", "from", "to"] as const;
export type AuditParamKey = (typeof AUDIT_PARAM_KEYS)[number];

/** Keeps only audit filters, trimmed, in a stable order, dropping empty values. */
export function normalizeAuditParams(input: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of AUDIT_PARAM_KEYS) {
    const value = input.get(key)?.trim();
    if (value) out.set(key, value);
  }
  return out;
}

/** The event's detail as one line of JSON; empty for `{}`. */
export function compactDetail(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  const text = JSON.stringify(detail);
  return text === "{}" ? "" : text;
}

/** `user` / `patient` entity and id as one short text. */
export function entityText(type: string | null, id: string | null): string {
  if (!type && !id) return "";
  return [type, id].filter(Boolean).join(" ");
}
