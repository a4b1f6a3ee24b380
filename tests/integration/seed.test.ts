import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assessments, flags, patientState, visits } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { testDatabasePerFile } from "../support/db";

const t = testDatabasePerFile();

const count = async (
  table: typeof visits | typeof assessments | typeof flags | typeof patientState,
) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe("demo seed with clinical history", () => {
  it("records plausible visits through the use-cases, so assessments and flags are real", async () => {
    const result = await seedDemo(t.db, {
      patients: 40,
      password: "demo-password",
      today: "2026-11-26",
    });
    expect(result.visitsRecorded).toBeGreaterThan(40);
    expect(await count(visits)).toBe(result.visitsRecorded);
    expect(await count(assessments)).toBe(result.visitsRecorded);
    expect(await count(flags)).toBeGreaterThan(20);
    const patientsWithVisits = await t.db.execute<{ n: number }>(
      sql`select count(distinct patient_id)::int as n from visits`,
    );
    expect(await count(patientState)).toBe(
      (patientsWithVisits as { rows: { n: number }[] }).rows[0]!.n,
    );
    const priorities = await t.db.execute<{ priority: string }>(
      sql`select distinct priority from patient_state`,
    );
    expect((priorities as { rows: unknown[] }).rows.length).toBeGreaterThanOrEqual(3);
  });

  it("is idempotent: a second run records nothing new", async () => {
    const before = await count(visits);
    const again = await seedDemo(t.db, {
      patients: 40,
      password: "demo-password",
      today: "2026-11-26",
    });
    expect(again.visitsRecorded).toBe(0);
    expect(await count(visits)).toBe(before);
  });
});
