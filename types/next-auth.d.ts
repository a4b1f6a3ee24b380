import type { Role } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/credentials";
import type { SignInProvider } from "@/lib/auth/local-signin";

declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role: Role;
    siteIds: string[];
    /** The user's session_version when this token was issued. */
    sv?: number;
    /** How the session was opened; absent means a local password. */
    provider?: SignInProvider;
  }
}
