import type { NextRequest } from "next/server";
import { FhirError, fhirResponse } from "@/lib/api/fhir";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import { operationOutcome, parseSearch, type OperationOutcome, type SearchType } from "@/lib/fhir";
import { publicBaseUrl, searchFhir, searchPatients } from "@/lib/server/fhir";

/** Whether the client asked for strict handling of unknown parameters (`Prefer: handling=strict`). */
function strict(req: NextRequest): boolean {
  return /(?:^|[,;\s])handling\s*=\s*strict\b/i.test(req.headers.get("prefer") ?? "");
}

/**
 * GET /fhir/r4/<type>?…: the parameters of SEARCH_PARAMETERS, `_count`/`_offset` paging with
 * absolute next links. Unknown parameters are ignored and named in an outcome entry, or refused
 * (400) with `Prefer: handling=strict`.
 */
export function searchRoute(type: SearchType) {
  return withFhirAuth("fhir.read", async (req, { ctx }) => {
    const search = parseSearch(type, req.nextUrl.searchParams);
    const unknown = search.unknown.map((name) => ({
      severity: strict(req) ? ("error" as const) : ("warning" as const),
      code: "not-supported" as const,
      message: `The search parameter ${name} is not supported${strict(req) ? "" : " and was ignored"}.`,
      expression: name,
    }));
    if (search.errors.length || (strict(req) && unknown.length))
      throw new FhirError(400, operationOutcome([...search.errors, ...unknown]));
    const outcome: OperationOutcome | undefined = unknown.length
      ? operationOutcome(unknown)
      : undefined;
    const pathUrl = `${publicBaseUrl()}${req.nextUrl.pathname}`;
    const bundle =
      type === "Patient"
        ? await searchPatients(ctx, search, pathUrl, outcome)
        : await searchFhir(ctx, type, search, pathUrl, outcome);
    return fhirResponse(bundle);
  });
}
