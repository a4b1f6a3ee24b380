// GET /fhir/r4/Patient/:id/$everything: the Patient and all of its current observations (searchset Bundle).
import { fhirResponse } from "@/lib/api/fhir";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { exportPatientEverything, publicBaseUrl } from "@/lib/server/fhir";

import { otherMethods } from "../../../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = withFhirAuth<{ patientId: string }>("fhir.read", async (req, { ctx, params }) =>
  fhirResponse(
    await exportPatientEverything(
      ctx,
      params.patientId,
      `${publicBaseUrl()}${req.nextUrl.pathname}`,
    ),
  ),
);
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
