// GET /fhir/r4/Observation?patient=&…: search on one patient's resources (search-params.ts), paged.
import { searchRoute } from "../_lib/search-route";
import { otherMethods } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Observation");
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
