// GET /fhir/r4/Condition/:id: one resource written from a stored observation, with its ETag.
import { readRoute } from "../../_lib/read-route";
import { methodNotAllowed } from "../../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = readRoute("Condition");
export const POST = methodNotAllowed(["GET"]);
export const PUT = methodNotAllowed(["GET"]);
export const PATCH = methodNotAllowed(["GET"]);
export const DELETE = methodNotAllowed(["GET"]);
