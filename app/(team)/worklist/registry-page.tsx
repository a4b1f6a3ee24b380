import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import type { z } from "zod";
import { ListPageHeader } from "@/components/list-page/list-page-header";
import { parseListQuery, type PageSearchParams } from "@/components/list-page/url-query";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import type { Ctx } from "@/lib/server/context";
import { todayIso } from "@/lib/server/dates";
import { listSites } from "@/lib/server/users";

/*
 * What the care registry pages (bone, depression) share: the same permission, filters read from
 * the address the same way, the actor's sites for the site filter, and a header linking onward.
 */

/** Keeps the registry's filters that have a value (an empty select means "every"). */
function keepFilled(keys: readonly string[]): (raw: URLSearchParams) => URLSearchParams {
  return (raw) => {
    const out = new URLSearchParams();
    for (const key of keys) {
      const value = raw.get(key);
      if (value) out.set(key, value);
    }
    return out;
  };
}

/** A registry page's data: its rows for the filters in the address, and what its view needs. */
export async function loadRegistry<S extends z.ZodType, I>(
  searchParams: Promise<PageSearchParams>,
  keys: readonly string[],
  schema: S,
  list: (ctx: Ctx, query: z.output<S>) => Promise<{ items: I[] }>,
) {
  const ctx = await requirePage("worklist.read");
  const { query, issues } = parseListQuery(await searchParams, keepFilled(keys), schema);
  const [{ items }, sites] = await Promise.all([
    list(ctx, query),
    listSites(ctx.db, ctx.actor.siteIds),
  ]);
  return {
    invalidFilters: Boolean(issues),
    view: {
      items,
      query,
      sites,
      canExport: can(ctx.actor.role, "worklist.export"),
      today: todayIso(),
    },
  };
}

/** Buttons to the worklist's other views, side by side. */
export function ViewLinks({ links }: { links: readonly { href: string; label: string }[] }) {
  return links.map((l, n) => (
    <Fragment key={l.href}>
      {n > 0 ? " " : null}
      <Link className="btn" href={l.href}>
        {l.label}
      </Link>
    </Fragment>
  ));
}

/** A registry page's header: title, what it lists, and links to the other registry and back. */
export function RegistryHeader({
  title,
  intro,
  other,
  invalidFilters,
}: {
  title: string;
  intro: ReactNode;
  other: { href: string; label: string };
  invalidFilters: boolean;
}) {
  return (
    <ListPageHeader
      title={title}
      intro={intro}
      action={<ViewLinks links={[other, { href: "/worklist", label: "Back to worklist" }]} />}
      invalidFilters={invalidFilters}
    />
  );
}
