import type { Role } from "@/db/schema";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      email: string;
      name: string;
      role: Role;
      siteIds: string[];
      sessionVersion: number;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role: Role;
    siteIds: string[];
    /** The user's session_version when this token was issued. */
    sv?: number;
  }
}
