// POST /cds-services/:serviceId/feedback: accepted / overridden card outcomes, for rule performance.
import { getDb } from "@/db/client";
import { cdsFeedbackSchema } from "@/lib/api/cds";
import { notFound } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/problem";
import { CDS_SERVICE_ID } from "@/lib/fhir";
import { recordCdsFeedback } from "@/lib/server/cds";
import { cdsRoute, preflight } from "../../_lib/cds-route";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export const POST = cdsRoute<{ serviceId: string }>(async (req, { client, params }) => {
  if (params.serviceId !== CDS_SERVICE_ID) throw notFound("CDS service");
  const body = await parseJsonBody(req, cdsFeedbackSchema);
  await recordCdsFeedback(await getDb(), params.serviceId, body, client!.iss);
  return new Response(null, { status: 200 });
});

export const OPTIONS = preflight;

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
