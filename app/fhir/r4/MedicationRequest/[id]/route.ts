// GET /fhir/r4/MedicationRequest/:id: one resource written from a stored observation, with its ETag.
import { readRoute } from "../../_lib/read-route";
import { otherMethods } from "../../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = readRoute("MedicationRequest");
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
