import { cdsHookRequestSchema, type CdsHookRequest } from "@/lib/api/cds";
import { usCorePrefetch } from "../fixtures/us-core";

/** A patient-view request with the US Core prefetch, `overrides` laid over it. */
export function hookRequest(overrides: Record<string, unknown> = {}): CdsHookRequest {
  return cdsHookRequestSchema.parse({
    hook: "patient-view",
    hookInstance: "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    context: { userId: "Practitioner/1", patientId: "example" },
    prefetch: usCorePrefetch(),
    ...overrides,
  });
}
