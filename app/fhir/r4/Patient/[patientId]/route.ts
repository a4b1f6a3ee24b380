// GET /fhir/r4/Patient/:id: one patient of the caller's sites as a US Core Patient, with its ETag.
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { readFhirPatient } from "@/lib/server/fhir";
import { resourceResponse } from "../../_lib/read-route";
import { otherMethods } from "../../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = withFhirAuth<{ patientId: string }>("fhir.read", async (_req, { ctx, params }) =>
  resourceResponse(await readFhirPatient(ctx, params.patientId)),
);
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
