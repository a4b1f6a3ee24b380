// GET /fhir/r4/Condition?patient=&…: search on one patient's resources (search-params.ts), paged.
import { searchRoute } from "../_lib/search-route";
import { otherMethods } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Condition");
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
