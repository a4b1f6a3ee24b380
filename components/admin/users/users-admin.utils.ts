/**
 * Field errors of a problem document keyed by form field: `siteIds.2` belongs to the sites
 * fieldset; errors without a field go under `form`. The first message per field wins.
 */
export function fieldErrorMap(
  errors: readonly { path: string; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const head = e.path.split(".")[0] ?? "";
    const key = head === "" || head === "(body)" ? "form" : head;
    out[key] ??= e.message;
  }
  return out;
}

/** Toggles one id in a list, keeping the order of `all`. */
export function toggleId(
  selected: readonly string[],
  id: string,
  all: readonly string[],
): string[] {
  const set = new Set(selected);
  if (set.has(id)) set.delete(id);
  else set.add(id);
  return all.filter((x) => set.has(x));
}
