// GET /fhir/r4/Observation/:id: one resource written from a stored observation, with its ETag.
import { readRoute } from "../../_lib/read-route";
import { methodNotAllowed } from "../../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = readRoute("Observation");
export const POST = methodNotAllowed(["GET"]);
export const PUT = methodNotAllowed(["GET"]);
export const PATCH = methodNotAllowed(["GET"]);
export const DELETE = methodNotAllowed(["GET"]);
