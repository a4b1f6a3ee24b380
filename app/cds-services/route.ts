// GET /cds-services: CDS Hooks discovery (no JWT needed; one is verified when sent).
import { cdsDiscovery } from "@/lib/fhir";
import { cdsRoute, preflight } from "./_lib/cds-route";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export const GET = cdsRoute(
  () =>
    Promise.resolve(Response.json(cdsDiscovery(), { headers: { "cache-control": "no-store" } })),
  { optionalAuth: true },
);

export const OPTIONS = preflight;

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
