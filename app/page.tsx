import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ROLE_HOME } from "@/lib/auth/permissions";
import { actorFromSession } from "@/lib/auth/session";

/** `/` sends each role to its home. */
export default async function Home() {
  const actor = await actorFromSession(await headers());
  redirect(actor ? ROLE_HOME[actor.role] : "/signin");
}
