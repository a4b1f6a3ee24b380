// POST /fhir/r4: a transaction Bundle importing one patient's observations as a visit (all or nothing).
import { parseJsonBody, parseQuery } from "@/lib/api/problem";
import { fhirResponse, fhirTransactionQuerySchema } from "@/lib/api/fhir";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { importTransaction } from "@/lib/server/fhir";
import { z } from "zod";

import { otherMethods } from "./_lib/unsupported";

export const dynamic = "force-dynamic";

export const POST = withFhirAuth("fhir.write", async (req, { ctx }) => {
  const query = parseQuery(fhirTransactionQuerySchema, req.nextUrl.searchParams);
  const body = await parseJsonBody(req, z.unknown());
  const result = await importTransaction(ctx, body, {
    ...(query.site ? { siteCode: query.site } : {}),
  });
  return fhirResponse(result.response, 200);
});
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
