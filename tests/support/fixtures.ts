import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { patients, sites, users, userSites, type Role } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import type { RecordVisitInput } from "@/lib/api/visits";
import type { Actor } from "@/lib/server/context";
import { recordVisit } from "@/lib/server/visits";

let n = 0;

/** A site, a user of a role at it and a patient there: the smallest world a use-case needs. */
export async function makeWorld(
  db: Db,
  options: { role?: Role; patient?: Partial<typeof patients.$inferInsert> } = {},
): Promise<{ actor: Actor; siteId: string; patientId: string }> {
  const i = ++n;
  const [site] = await db
    .insert(sites)
    .values({ code: `s${i}-${Date.now()}`, name: `Site ${i}` })
    .returning();
  const [user] = await db
    .insert(users)
    .values({
      email: `u${i}-${Date.now()}@example.org`,
      name: `User ${i}`,
      role: options.role ?? "clinician",
      passwordHash: "x",
    })
    .returning();
  await db.insert(userSites).values({ userId: user!.id, siteId: site!.id });
  const [patient] = await db
    .insert(patients)
    .values({
      siteId: site!.id,
      mrn: `MRN-${i}`,
      givenName: "Ann",
      familyName: `Test${i}`,
      birthDate: "1950-03-01",
      sex: "female",
      postmenopausal: true,
      ...options.patient,
    })
    .returning();
  return {
    actor: {
      userId: user!.id,
      email: user!.email,
      name: user!.name,
      role: user!.role,
      siteIds: [site!.id],
      ip: null,
      userAgent: null,
    },
    siteId: site!.id,
    patientId: patient!.id,
  };
}

/**
 * A visit to the world's patient on `occurredOn`, recorded by the world's user at `now` (by
 * default that morning, 10:00 UTC).
 */
export function recordWorldVisit(
  db: Db,
  world: { actor: Actor; patientId: string },
  occurredOn: string,
  observations: RecordVisitInput["observations"],
  now = new Date(`${occurredOn}T10:00:00Z`),
) {
  return recordVisit(
    { db, actor: world.actor },
    world.patientId,
    { occurredOn, observations },
    now,
  );
}

/** Adds a user of `role` at `siteId`. */
export async function makeUser(db: Db, role: Role, siteIds: string[]): Promise<Actor> {
  const i = ++n;
  const [user] = await db
    .insert(users)
    .values({
      email: `x${i}-${Date.now()}@example.org`,
      name: `Extra ${i}`,
      role,
      passwordHash: "x",
    })
    .returning();
  if (siteIds.length)
    await db.insert(userSites).values(siteIds.map((siteId) => ({ userId: user!.id, siteId })));
  return {
    userId: user!.id,
    email: user!.email,
    name: user!.name,
    role,
    siteIds,
    ip: null,
    userAgent: null,
  };
}

export async function patientRow(db: Db, id: string) {
  const [row] = await db.select().from(patients).where(eq(patients.id, id));
  return row!;
}

/** PHQ-9 items summing to `total` with item 9 = `item9`. */
export function phq9Items(total: number, item9 = 0): number[] {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let left = total - item9;
  for (let i = 0; i < 8 && left > 0; i++) {
    const v = Math.min(3, left);
    items[i] = v;
    left -= v;
  }
  return items;
}

/** The demo seed with `patients` patients and the demo password, as of 2026-11-26, no history. */
export function seedDemoPatients(db: Db, patients: number) {
  return seedDemo(db, { patients, password: "demo-password", today: "2026-11-26", history: false });
}
