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

/** The actor for a user as the database holds them, acting from `client`. */
export function actorFor(
  user: { id: string; email: string; name: string; role: Role; siteIds: readonly string[] },
  client: Pick<Actor, "ip" | "userAgent">,
): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: user.siteIds,
    ip: client.ip,
    userAgent: client.userAgent,
  };
}
