// GET /api/v1/patients: patients of the caller's sites, searchable, keyset-paginated.
// POST /api/v1/patients: registers a patient at one of the caller's sites → 201.
import { createPatientSchema, listPatientsQuerySchema } from "@/lib/api/patients";
import { parseJsonBody, parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { createPatient, listPatients } from "@/lib/server/patients";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("patients.read", async (req, { ctx }) => {
  const query = parseQuery(listPatientsQuerySchema, req.nextUrl.searchParams);
  return Response.json(await listPatients(ctx, query));
});

export const POST = withAuth("patients.create", async (req, { ctx }) => {
  const body = await parseJsonBody(req, createPatientSchema);
  const patient = await createPatient(ctx, body);
  return Response.json(patient, {
    status: 201,
    headers: { location: `/api/v1/patients/${patient.id}` },
  });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
