// Any other path under /fhir/r4: a 404 OperationOutcome (not the app's HTML page), whatever the method.
import { notFound } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
