import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, type FormEvent } from "react";

/** A filter form's fields as a query, as the browser would send them with GET (text values only). */
export function formFields(form: HTMLFormElement): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === "string") out.set(key, value);
  }
  return out;
}

/**
 * Filters that live in the page's URL, so a view can be shared, reloaded and gone back to.
 * `parse` reads them from the query string (it should be stable: a module function or a
 * useCallback); `navigate` puts a new query string in the address; `submit` makes a filter form's
 * onSubmit from a function that turns its fields into that query string.
 */
export function useUrlFilters<F>(
  parse: (search: URLSearchParams) => F,
  { history = "replace" }: { history?: "push" | "replace" } = {},
) {
  const router = useRouter();
  const pathname = usePathname();
  const searchText = useSearchParams().toString();
  const filters = useMemo(() => parse(new URLSearchParams(searchText)), [parse, searchText]);

  const navigate = useCallback(
    (query: string) => {
      const href = query ? `${pathname}?${query}` : pathname;
      if (history === "push") router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [history, pathname, router],
  );

  const submit = useCallback(
    (toQuery: (fields: URLSearchParams) => string) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      navigate(toQuery(formFields(event.currentTarget)));
    },
    [navigate],
  );

  return { filters, navigate, submit };
}
