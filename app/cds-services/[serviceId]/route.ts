// POST /cds-services/:serviceId: the patient-view service (bone-brain-axis) → { cards }, or 412 without data.
import { getDb } from "@/db/client";
import { cdsHookRequestSchema } from "@/lib/api/cds";
import { AppError, notFound } from "@/lib/api/errors";
import { parseJsonBody, problemResponse } from "@/lib/api/problem";
import { CDS_HOOK, CDS_SERVICE_ID } from "@/lib/fhir";
import { smartClients } from "@/lib/auth/smart";
import { handlePatientView } from "@/lib/server/cds";
import { smartClientFor } from "@/lib/smart-clients";
import { publicBaseUrl } from "@/lib/server/fhir";
import { cdsRoute, preflight } from "../_lib/cds-route";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export const POST = cdsRoute<{ serviceId: string }>(async (req, { client, params }) => {
  if (params.serviceId !== CDS_SERVICE_ID) throw notFound("CDS service");
  const body = await parseJsonBody(req, cdsHookRequestSchema);
  if (body.hook !== CDS_HOOK) {
    throw new AppError(
      "bad-request",
      `This service answers the ${CDS_HOOK} hook, not ${body.hook}.`,
    );
  }
  const result = await handlePatientView(await getDb(), body, {
    clientIss: client!.iss,
    baseUrl: publicBaseUrl(),
    fhirServers: client!.fhirServers,
    // A SMART link on the cards only for an EHR whose FHIR server may launch the app.
    smartLaunchUrl: smartClientFor(smartClients(), body.fhirServer)
      ? `${publicBaseUrl()}/smart/launch`
      : null,
  });
  if (result.status === "precondition-failed") {
    return problemResponse(
      412,
      "Precondition failed",
      `Prefetch is missing (${result.missing.join(", ")}) and ${result.reason}.`,
      { missing: result.missing, reason: result.reason },
    );
  }
  return Response.json({ cards: result.cards }, { headers: { "cache-control": "no-store" } });
});

export const OPTIONS = preflight;

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
