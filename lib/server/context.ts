import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";

/** Who is acting, as established by the session (or an API token), checked against the database. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  siteIds: readonly string[];
  ip: string | null;
  userAgent: string | null;
}

/** What every use-case receives: the database and the actor. */
export interface Ctx {
  db: Db;
  actor: Actor;
}
