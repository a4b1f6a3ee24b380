import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { sites, users, userSites } from "../../db/schema";
import { hashPassword } from "../../lib/auth/password";

/** A clinician of the "river" site only: the "clinician of another site" of the access tests. */
export const OTHER_SITE_CLINICIAN = "clinician.river@example.org";

/** Test-only users added to the e2e database (never to the demo). Idempotent. */
export async function addE2eFixtures(database: Database): Promise<void> {
  const { db } = database;
  const [river] = await db.select().from(sites).where(eq(sites.code, "river"));
  if (!river) return;
  const [user] = await db
    .insert(users)
    .values({
      email: OTHER_SITE_CLINICIAN,
      name: "Dr. River Only",
      role: "clinician",
      passwordHash: await hashPassword(process.env.DEMO_PASSWORD ?? "bonebrain-demo"),
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (user)
    await db.insert(userSites).values({ userId: user.id, siteId: river.id }).onConflictDoNothing();
}
