// GET /api/v1/worklist/bone-registry: the bone registry (the rules' DXA flag, latest DXA,
// treatment and its start, follow-up DXA due, last and next contact), filtered and sorted.
import { boneRegistryQuerySchema } from "@/lib/api/bone-registry";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { listBoneRegistry } from "@/lib/server/bone-registry";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.read", async (req, { ctx }) => {
  const query = parseQuery(boneRegistryQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listBoneRegistry(ctx, query), {
    headers: { "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
