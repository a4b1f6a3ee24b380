import { fhirResponse } from "@/lib/api/fhir";
import { withFhirAuth } from "@/lib/auth/fhir-auth";
import type { Resource } from "@/lib/fhir";
import { etagOf, readFhirResource, type FhirClinicalType } from "@/lib/server/fhir";

/** A read's response: the resource with its ETag and Last-Modified. */
export function resourceResponse(resource: Resource): Response {
  const headers: Record<string, string> = {};
  if (resource.meta?.versionId) headers.etag = etagOf({ versionId: resource.meta.versionId });
  if (resource.meta?.lastUpdated)
    headers["last-modified"] = new Date(resource.meta.lastUpdated).toUTCString();
  return fhirResponse(resource, 200, headers);
}

/** GET /fhir/r4/<type>/:id for the resources written from stored observations. */
export function readRoute(type: FhirClinicalType) {
  return withFhirAuth<{ id: string }>("fhir.read", async (_req, { ctx, params }) =>
    resourceResponse(await readFhirResource(ctx, type, params.id)),
  );
}
