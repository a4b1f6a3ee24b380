import type { Metadata } from "next";
import Link from "next/link";
import { RegistrationForm } from "@/components/patient/registration-form";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";
import { listSites } from "@/lib/server/users";

export const metadata: Metadata = { title: "New patient" };

export default async function NewPatientPage() {
  const ctx = await requirePage("patients.create");
  const sites = await listSites(ctx.db, ctx.actor.siteIds);
  return (
    <>
      <div className="page-header">
        <div>
          <p style={{ margin: 0 }}>
            <Link href="/patients">Patients</Link>
          </p>
          <h1>New patient</h1>
        </div>
      </div>
      {sites.length === 0 ? (
        <EmptyState title="You are not a member of any site">
          <p>Patients are registered at a site. Ask an administrator to add you to yours.</p>
        </EmptyState>
      ) : (
        <RegistrationForm sites={sites} today={todayIso()} />
      )}
    </>
  );
}
