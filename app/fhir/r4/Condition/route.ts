// GET /fhir/r4/Condition?patient=&…: search on one patient's resources (search-params.ts), paged.
import { searchRoute } from "../_lib/search-route";
import { methodNotAllowed } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Condition");
export const POST = methodNotAllowed(["GET"]);
export const PUT = methodNotAllowed(["GET"]);
export const PATCH = methodNotAllowed(["GET"]);
export const DELETE = methodNotAllowed(["GET"]);
