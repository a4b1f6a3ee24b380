// GET /api/v1/patients: patients of the caller's sites, searchable, keyset-paginated.
import { listPatientsQuerySchema } from "@/lib/api/patients";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { listPatients } from "@/lib/server/patients";

export const GET = withAuth("patients.read", async (req, { ctx }) => {
  const query = parseQuery(listPatientsQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listPatients(ctx, query));
});
