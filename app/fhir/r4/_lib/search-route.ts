import { FhirError, fhirResponse, fhirSearchQuerySchema } from "@/lib/api/fhir";
import { parseQuery } from "@/lib/api/problem";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { operationOutcome, parseTokens, patientIdOf } from "@/lib/fhir";
import { publicBaseUrl, searchFhir, type FhirSearchType } from "@/lib/server/fhir";

/** GET /fhir/r4/<type>?patient=&code=&status=&_sort=&_count= for one resource type. */
export function searchRoute(type: FhirSearchType) {
  return withFhirAuth("fhir.read", async (req, { ctx }) => {
    const query = parseQuery(fhirSearchQuerySchema, req.nextUrl.searchParams);
    const patientId = patientIdOf(query.patient ?? query.subject ?? null);
    if (!patientId) {
      throw new FhirError(
        400,
        operationOutcome([
          {
            severity: "error",
            code: "required",
            message: "Search by patient: patient=<id> (or subject=Patient/<id>) is required.",
            expression: "patient",
          },
        ]),
      );
    }
    const bundle = await searchFhir(
      ctx,
      type,
      {
        patientId,
        tokens: parseTokens(query.code ?? ""),
        ...(query.status ? { status: query.status.split(",").map((s) => s.trim()) } : {}),
        sort: query._sort,
        count: query._count,
      },
      `${publicBaseUrl()}${req.nextUrl.pathname}${req.nextUrl.search}`,
    );
    return fhirResponse(bundle);
  });
}
