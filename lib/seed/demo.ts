import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flags, patients, sites, users, userSites } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { actorFor, type Actor } from "@/lib/server/context";
import { updateFlag } from "@/lib/server/flags";
import { findUserByEmail, type UserWithSites } from "@/lib/server/users";
import { recordVisit } from "@/lib/server/visits";
import { seedBulkHistories } from "./bulk";
import { careTeamAction, careTeamSteps } from "./care-team";
import { DEMO_SITES, DEMO_USERS, syntheticCohort, type SyntheticPatient } from "./cohort";
import { seedHistory } from "./history";

export const DEFAULT_SEED_PATIENTS = 400;
/** From this many patients on, histories are seeded in bulk (lib/seed/bulk.ts), not visit by visit. */
export const BULK_SEED_THRESHOLD = 2000;

export interface SeedResult {
  sites: number;
  usersCreated: number;
  patientsCreated: number;
  visitsRecorded: number;
  siteIds: Record<string, string>;
}

/**
 * Demo sites, one user per role and a synthetic cohort. Idempotent: existing sites, users
 * (their passwords too) and patients (by site and MRN) are left as they are.
 */
export async function seedDemo(
  db: Db,
  options: {
    patients: number;
    password: string;
    /** The day the cohort's two-year history ends (YYYY-MM-DD). */
    today: string;
    /** false: only sites, users and patients (no visits). */
    history?: boolean;
    /**
     * Histories in bulk (in memory, batched inserts; same rows as the use-cases would write) or
     * through the use-cases visit by visit. Default: bulk from BULK_SEED_THRESHOLD patients on.
     */
    bulk?: boolean;
    log?: (line: string) => void;
  },
): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  await db
    .insert(sites)
    .values([...DEMO_SITES])
    .onConflictDoNothing({ target: sites.code });
  const siteRows = await db
    .select({ id: sites.id, code: sites.code })
    .from(sites)
    .where(
      inArray(
        sites.code,
        DEMO_SITES.map((s) => s.code),
      ),
    );
  const siteIds = Object.fromEntries(siteRows.map((s) => [s.code, s.id]));

  let usersCreated = 0;
  const passwordHash = await hashPassword(options.password);
  for (const u of DEMO_USERS) {
    const inserted = await db
      .insert(users)
      .values({ email: u.email, name: u.name, role: u.role, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    const [row] = inserted.length
      ? inserted
      : await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    if (inserted.length) usersCreated++;
    if (row && u.sites.length) {
      await db
        .insert(userSites)
        .values(u.sites.map((code) => ({ userId: row.id, siteId: siteIds[code]! })))
        .onConflictDoNothing();
    }
  }

  const cohort = syntheticCohort(options.patients, Number(options.today.slice(0, 4)));
  let patientsCreated = 0;
  const BATCH = 500;
  for (let start = 0; start < cohort.length; start += BATCH) {
    const batch = cohort.slice(start, start + BATCH);
    const inserted = await db
      .insert(patients)
      .values(batch.map(({ siteCode, ...p }) => ({ ...p, siteId: siteIds[siteCode]! })))
      .onConflictDoNothing({ target: [patients.siteId, patients.mrn] })
      .returning({ id: patients.id });
    patientsCreated += inserted.length;
    log(`patients ${Math.min(start + BATCH, cohort.length)}/${cohort.length}`);
  }
  if (options.history === false) {
    return { sites: siteRows.length, usersCreated, patientsCreated, visitsRecorded: 0, siteIds };
  }
  let visitsRecorded: number;
  if (options.bulk ?? options.patients >= BULK_SEED_THRESHOLD) {
    const clinician = await findUserByEmail(db, "clinician@example.org");
    const care = await findUserByEmail(db, "care@example.org");
    visitsRecorded = clinician
      ? (
          await seedBulkHistories(db, cohort, siteIds, options.today, {
            actors: { clinicianId: clinician.id, careId: care?.id ?? null },
            log,
          })
        ).visits
      : 0;
  } else {
    visitsRecorded = await seedHistories(db, cohort, siteIds, options.today, log);
    if (visitsRecorded > 0) await seedCareTeamWork(db, options.today);
  }
  return { sites: siteRows.length, usersCreated, patientsCreated, visitsRecorded, siteIds };
}

/**
 * Records each cohort patient's history through the same use-case the app uses (recordVisit), so
 * assessments, flags and patient_state are real. Patients that already have a visit are skipped.
 */
async function seedHistories(
  db: Db,
  cohort: SyntheticPatient[],
  siteIds: Record<string, string>,
  today: string,
  log: (line: string) => void,
): Promise<number> {
  const clinician = await findUserByEmail(db, "clinician@example.org");
  if (!clinician) return 0;
  const actor = seedActor(clinician, Object.values(siteIds));
  const rows = await db
    .select({
      id: patients.id,
      siteId: patients.siteId,
      mrn: patients.mrn,
      hasVisit: sql<boolean>`exists (select 1 from visits v where v.patient_id = "patients"."id")`,
    })
    .from(patients)
    .where(
      inArray(
        patients.mrn,
        cohort.map((p) => p.mrn),
      ),
    );
  const byKey = new Map(rows.map((r) => [`${r.siteId}|${r.mrn}`, r]));
  let recorded = 0;
  for (const [index, p] of cohort.entries()) {
    const row = byKey.get(`${siteIds[p.siteCode]}|${p.mrn}`);
    if (!row || row.hasVisit) continue;
    for (const visit of seedHistory(p, today, 7919 * (index + 1))) {
      await recordVisit(
        { db, actor },
        row.id,
        visit,
        new Date(`${visit.occurredOn}T10:00:00Z`),
        "seed",
      );
      recorded++;
    }
    if (index % 20 === 19 || index === cohort.length - 1)
      log(`histories ${index + 1}/${cohort.length}`);
  }
  return recorded;
}

/** A demo user acting for the seed at `siteIds`. */
function seedActor(user: UserWithSites, siteIds: readonly string[]): Actor {
  return actorFor({ ...user, siteIds }, { ip: null, userAgent: "seed" });
}

/** True when the database holds no user yet (a fresh demo). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and());
  return (row?.n ?? 0) === 0;
}

/**
 * The care team's past work on the seeded flags, through the same use-case the worklist uses
 * (updateFlag), so the demo shows flags in every state and time-to-action has data. Which flags
 * are worked, and how, is `careTeamSteps` (one generator per flag, shared with the bulk seed).
 * Only flags still open and unacknowledged are touched, in a fixed order (opening time, patient,
 * code), at times between their opening and `today`.
 */
async function seedCareTeamWork(db: Db, today: string): Promise<void> {
  const care = await findUserByEmail(db, "care@example.org");
  if (!care) return;
  const ctx = { db, actor: seedActor(care, care.siteIds) };
  const open = await db
    .select({
      id: flags.id,
      code: flags.code,
      severity: flags.severity,
      openedAt: flags.openedAt,
      version: flags.version,
      mrn: patients.mrn,
    })
    .from(flags)
    .innerJoin(patients, eq(patients.id, flags.patientId))
    .where(and(eq(flags.status, "open"), isNull(flags.acknowledgedAt)))
    .orderBy(asc(flags.openedAt), asc(flags.patientId), asc(flags.code));
  for (const f of open) {
    let version = f.version;
    for (const step of careTeamSteps(f, today)) {
      const state = await updateFlag(ctx, f.id, careTeamAction(step, version), step.at);
      version = state.version;
    }
  }
}
