import type { Actor } from "@/lib/server/context";
import { navFor, ROLE_LABEL } from "./permissions";

/** The plain props the app shell needs for an actor. */
export function shellProps(actor: Actor): {
  user: { name: string; email: string; roleLabel: string };
  nav: { href: string; label: string }[];
} {
  return {
    user: { name: actor.name, email: actor.email, roleLabel: ROLE_LABEL[actor.role] },
    nav: navFor(actor.role),
  };
}
