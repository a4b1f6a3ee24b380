import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import type { FlagAction } from "@/lib/api/worklist";
import type { Actor } from "@/lib/server/context";
import { findUserByEmail } from "@/lib/server/users";
import { updateFlag } from "@/lib/server/flags";
import { recordVisit } from "@/lib/server/visits";
import type { Db } from "./client";
import { createRandom } from "./seed-random";
import { seedBulkHistories } from "./seed-bulk";
import { careTeamSteps, seedHistory, type CareTeamStep } from "./seed-history";
import { flags, patients, sites, users, userSites, type Role } from "./schema";

export const DEFAULT_SEED_PATIENTS = 400;
/** From this many patients on, histories are seeded in bulk (db/seed-bulk.ts), not visit by visit. */
export const BULK_SEED_THRESHOLD = 2000;
export const DEMO_SITES = [
  { code: "north", name: "Northside Geriatrics" },
  { code: "river", name: "Riverside Bone & Memory Clinic" },
] as const;

export const DEMO_USERS: readonly {
  email: string;
  name: string;
  role: Role;
  sites: readonly string[];
}[] = [
  {
    email: "clinician@example.org",
    name: "Dr. Ada Clinician",
    role: "clinician",
    sites: ["north", "river"],
  },
  { email: "care@example.org", name: "Cara Team", role: "care_team", sites: ["north", "river"] },
  {
    email: "quality@example.org",
    name: "Quinn Quality",
    role: "quality",
    sites: ["north", "river"],
  },
  { email: "admin@example.org", name: "Alex Admin", role: "admin", sites: [] },
];

const GIVEN_FEMALE = [
  "Margaret",
  "Dorothy",
  "Helen",
  "Ruth",
  "Evelyn",
  "Joan",
  "Betty",
  "Shirley",
  "Barbara",
  "Patricia",
  "Carol",
  "Nancy",
  "Judith",
  "Eleanor",
  "Irene",
  "Rosa",
  "Maria",
  "Yuki",
  "Ingrid",
  "Fatima",
  "Grace",
  "Alice",
  "Lorraine",
  "Edith",
  "Mei",
  "Aiko",
  "Olga",
  "Beatriz",
  "Amara",
  "Sarah",
];
const GIVEN_MALE = [
  "Robert",
  "James",
  "John",
  "William",
  "Richard",
  "Charles",
  "Thomas",
  "George",
  "Edward",
  "Frank",
  "Harold",
  "Walter",
  "Arthur",
  "Henry",
  "Samuel",
  "Ahmed",
  "Hiroshi",
  "Luis",
  "Kwame",
  "Piotr",
  "Daniel",
  "Raymond",
  "Eugene",
  "Victor",
  "Ivan",
  "Jose",
  "Ernest",
  "Albert",
  "Leon",
  "David",
];
const FAMILY = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Kowalski",
  "Okafor",
  "Tanaka",
  "Haddad",
  "Lindqvist",
  "O'Brien",
  "Novak",
  "Rossi",
  "Kim",
  "Patel",
];

export interface SyntheticPatient {
  siteCode: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: "female" | "male" | "other" | "unknown";
  postmenopausal: boolean | null;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function isoDate(year: number, dayOfYear: number): string {
  const d = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * A deterministic synthetic cohort of older adults (ages about 60–94 on `referenceYear`): 62 %
 * women, a few with sex other/unknown; most women recorded postmenopausal, some not recorded.
 */
export function syntheticCohort(
  count: number,
  referenceYear: number,
  seed = 20260213,
): SyntheticPatient[] {
  const random = createRandom(seed);
  const cohort: SyntheticPatient[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const sex: SyntheticPatient["sex"] =
      r < 0.62 ? "female" : r < 0.985 ? "male" : r < 0.993 ? "other" : "unknown";
    const age = 60 + Math.floor(Math.pow(random(), 1.3) * 35);
    const birthDate = isoDate(referenceYear - age - 1, Math.floor(random() * 365));
    const givenName =
      sex === "male"
        ? pick(random, GIVEN_MALE)
        : sex === "female"
          ? pick(random, GIVEN_FEMALE)
          : pick(random, random() < 0.5 ? GIVEN_FEMALE : GIVEN_MALE);
    const familyName = pick(random, FAMILY);
    const siteCode = random() < 0.55 ? "north" : "river";
    const postmenopausal = sex === "female" ? (random() < 0.85 ? true : null) : null;
    cohort.push({
      siteCode,
      mrn: `${siteCode === "north" ? "N" : "R"}${String(100000 + i).padStart(7, "0")}`,
      givenName,
      familyName,
      birthDate,
      sex,
      postmenopausal,
    });
  }
  return cohort;
}

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
      .values(
        batch.map((p) => ({
          siteId: siteIds[p.siteCode]!,
          mrn: p.mrn,
          givenName: p.givenName,
          familyName: p.familyName,
          birthDate: p.birthDate,
          sex: p.sex,
          postmenopausal: p.postmenopausal,
        })),
      )
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
  const actor: Actor = {
    userId: clinician.id,
    email: clinician.email,
    name: clinician.name,
    role: clinician.role,
    siteIds: Object.values(siteIds),
    ip: null,
    userAgent: "seed",
  };
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
  const actor: Actor = {
    userId: care.id,
    email: care.email,
    name: care.name,
    role: care.role,
    siteIds: care.siteIds,
    ip: null,
    userAgent: "seed",
  };
  const ctx = { db, actor };
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

/** A seeded care-team step as the worklist's flag action. */
function careTeamAction(step: CareTeamStep, version: number): FlagAction {
  switch (step.action) {
    case "acknowledge":
      return { action: "acknowledge", version };
    case "assign":
      return { action: "assign", version, assigneeId: "me" };
    case "resolve":
      return { action: "resolve", version, reason: step.reason };
    case "snooze":
      return { action: "snooze", version, until: step.until, reason: step.reason };
    case "note":
      return { action: "note", version, note: step.note };
  }
}
