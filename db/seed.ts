import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/server/context";
import { findUserByEmail } from "@/lib/server/users";
import { updateFlag } from "@/lib/server/flags";
import { recordVisit } from "@/lib/server/visits";
import type { Db } from "./client";
import { createRandom } from "./seed-random";
import { seedHistory } from "./seed-history";
import { flags, patients, sites, users, userSites, type Role } from "./schema";

export const DEFAULT_SEED_PATIENTS = 400;
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
  const visitsRecorded =
    options.history === false ? 0 : await seedHistories(db, cohort, siteIds, options.today, log);
  if (visitsRecorded > 0) await seedCareTeamWork(db, options.today);
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
 * (updateFlag), so the demo shows flags in every state and time-to-action has data: most critical
 * flags acknowledged within a day; about half the others acknowledged within two weeks, some of
 * them assigned, resolved or snoozed. Only flags still unresolved are touched, at times between
 * their opening and `today`.
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
  const random = createRandom(4242);
  const open = await db
    .select({
      id: flags.id,
      severity: flags.severity,
      openedAt: flags.openedAt,
      version: flags.version,
    })
    .from(flags)
    .where(and(eq(flags.status, "open"), isNull(flags.acknowledgedAt)))
    .orderBy(asc(flags.openedAt), asc(flags.id));
  const end = new Date(`${today}T18:00:00Z`).getTime();
  const at = (from: Date, days: number) =>
    new Date(Math.min(end, from.getTime() + days * 86_400_000));
  for (const f of open) {
    const critical = f.severity === "critical";
    if (!(critical ? random() < 0.85 : random() < 0.55)) continue;
    const ackAt = at(f.openedAt, critical ? random() * 1.5 : random() * 14);
    let state = await updateFlag(ctx, f.id, { action: "acknowledge", version: f.version }, ackAt);
    if (random() < 0.4) {
      state = await updateFlag(
        ctx,
        f.id,
        { action: "assign", version: state.version, assigneeId: "me" },
        at(ackAt, 0.1),
      );
    }
    const r = random();
    const later = at(ackAt, 5 + random() * 60);
    if (later.getTime() >= end) continue;
    if (r < 0.45) {
      const reason = (
        ["treated", "referred", "treated", "patient-declined", "not-clinically-relevant"] as const
      )[Math.floor(random() * 5)]!;
      await updateFlag(ctx, f.id, { action: "resolve", version: state.version, reason }, later);
    } else if (r < 0.55 && !critical) {
      await updateFlag(
        ctx,
        f.id,
        {
          action: "snooze",
          version: state.version,
          until: addDaysIso(today, 14 + Math.floor(random() * 60)),
          reason: "Follow-up booked",
        },
        new Date(end - 86_400_000),
      );
    } else if (r < 0.75) {
      await updateFlag(
        ctx,
        f.id,
        {
          action: "note",
          version: state.version,
          note: "Discussed at the team meeting; plan agreed.",
        },
        later,
      );
    }
  }
}

function addDaysIso(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
