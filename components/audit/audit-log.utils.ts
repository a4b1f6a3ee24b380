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

/** A detail key as words: `nextDueOn` → "Next due on", `rows_total` → "Rows total". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${labelOf(k)}: ${valueText(v)}`);
    return parts.length ? parts.join("; ") : "–";
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return typeof value === "string" ? value : `${value as number}`;
}

/** The event's detail as labelled fields, in the order stored; none for `{}` or a non-object. */
export function detailFields(detail: unknown): { label: string; value: string }[] {
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
    return detail === null || detail === undefined
      ? []
      : [{ label: "Detail", value: valueText(detail) }];
  }
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ label: labelOf(k), value: valueText(v) }));
}

/** An action code split at its dots so it wraps between words, never inside one. */
export function actionParts(action: string): string[] {
  return action.split(".");
}
