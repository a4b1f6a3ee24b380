import type { z } from "zod";

/** A page's `searchParams` as Next passes them to a server component. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/** What Next.js hands a list page: its address's query, still to be awaited. */
export interface ListPageProps {
  searchParams: Promise<PageSearchParams>;
}

/**
 * A list page's filters from its address, on the server: the ones `normalize` keeps, checked by
 * the API's `schema`. Invalid filters fall back to the schema's defaults, with `initialQuery` ""
 * and the `issues` to show.
 */
export function parseListQuery<S extends z.ZodType>(
  searchParams: PageSearchParams,
  normalize: (raw: URLSearchParams) => URLSearchParams,
  schema: S,
): { query: z.output<S>; initialQuery: string; issues: z.core.$ZodIssue[] | null } {
  const raw = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) if (typeof v === "string") raw.set(k, v);
  const normalized = normalize(raw);
  const parsed = schema.safeParse(Object.fromEntries(normalized));
  return parsed.success
    ? { query: parsed.data, initialQuery: normalized.toString(), issues: null }
    : { query: schema.parse({}), initialQuery: "", issues: parsed.error.issues };
}
