import type { Role } from "@/db/schema";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role; siteIds: string[] };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role: Role;
    siteIds: string[];
  }
}
