// GET /fhir/r4/metadata: the CapabilityStatement (public, as FHIR clients expect).
import { fhirResponse } from "@/lib/api/fhir";
import { withoutAuth } from "@/lib/auth/with-auth";
import { capabilityStatement } from "@/lib/fhir";
import { fhirBaseUrl } from "@/lib/server/fhir";
import { APP_VERSION } from "@/lib/version";

import { otherMethods } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(() =>
  Promise.resolve(
    fhirResponse(
      capabilityStatement(fhirBaseUrl(), APP_VERSION, new Date().toISOString().slice(0, 10)),
    ),
  ),
);
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
