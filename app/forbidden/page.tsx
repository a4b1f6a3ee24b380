import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { ROLE_HOME } from "@/lib/auth/permissions";
import { actorFromSession } from "@/lib/auth/session";
import { shellProps } from "@/lib/auth/shell";
import { StatusPage } from "../status-page";

export const metadata: Metadata = { title: "Not part of your role" };

/** A path of this app to show as the refused page (never another site or a scheme). */
function refusedPath(from: string | string[] | undefined): string | null {
  if (typeof from !== "string" || !from.startsWith("/") || from.startsWith("//")) return null;
  return from.slice(0, 300);
}

/**
 * Where a page refused to the role lands: inside the app's frame (header and navigation), with
 * a heading, the page that was refused when known (`?from=`) and the way back to the role's home.
 */
export default async function ForbiddenPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await actorFromSession(await headers());
  const from = refusedPath((await searchParams).from);
  const body = (
    <>
      Your account does not have permission to open {from ? <code>{from}</code> : "that page"}. If
      you need it, ask an administrator.
    </>
  );
  if (!actor) {
    return <StatusPage title="This page is not part of your role">{body}</StatusPage>;
  }
  const home = ROLE_HOME[actor.role];
  return (
    <AppShell {...shellProps(actor)}>
      <div className="page-header">
        <h1>This page is not part of your role</h1>
      </div>
      <div className="card">
        <p>{body}</p>
        <p>
          <Link className="btn btn-primary" href={home}>
            Back to your home page
          </Link>
        </p>
      </div>
    </AppShell>
  );
}
