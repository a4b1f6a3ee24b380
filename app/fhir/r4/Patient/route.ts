// GET /fhir/r4/Patient?identifier=&name=&birthdate=: the caller's sites' patients, paged.
import { searchRoute } from "../_lib/search-route";
import { methodNotAllowed } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Patient");
export const POST = methodNotAllowed(["GET"]);
export const PUT = methodNotAllowed(["GET"]);
export const PATCH = methodNotAllowed(["GET"]);
export const DELETE = methodNotAllowed(["GET"]);
