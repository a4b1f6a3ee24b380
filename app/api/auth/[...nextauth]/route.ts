// /api/auth/*: next-auth (credentials sign-in, session, sign-out).
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

type NextAuthRouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(req: Request, context: NextAuthRouteContext): Promise<Response> {
  return (NextAuth(getAuthOptions()) as (r: Request, c: NextAuthRouteContext) => Promise<Response>)(
    req,
    context,
  );
}

export { handler as GET, handler as POST };
