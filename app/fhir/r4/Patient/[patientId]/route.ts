// GET /fhir/r4/Patient/:id: one patient of the caller's sites as a US Core Patient.
import { fhirResponse } from "@/lib/api/fhir";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { readFhirPatient } from "@/lib/server/fhir";

export const dynamic = "force-dynamic";

export const GET = withFhirAuth<{ patientId: string }>("fhir.read", async (_req, { ctx, params }) =>
  fhirResponse(await readFhirPatient(ctx, params.patientId)),
);
