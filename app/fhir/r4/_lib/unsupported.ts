import { fhirResponse } from "@/lib/api/fhir";
import { simpleOutcome } from "@/lib/fhir";

/** 405 as an OperationOutcome, naming the methods the route answers (the Allow header too). */
export function methodNotAllowed(allowed: readonly string[]) {
  return (req: Request): Promise<Response> =>
    Promise.resolve(
      fhirResponse(
        simpleOutcome(
          "error",
          "not-supported",
          `${req.method} is not supported on ${new URL(req.url).pathname} (allowed: ${allowed.join(", ")}).`,
        ),
        405,
        { allow: allowed.join(", ") },
      ),
    );
}

/** Handlers for every method a route does not answer: `export const { PUT, … } = otherMethods([…])`. */
export function otherMethods(allowed: readonly string[]) {
  const handler = methodNotAllowed(allowed);
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

/** 404 as an OperationOutcome for any path under /fhir/r4 that names nothing we serve. */
export function notFound(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  return Promise.resolve(
    fhirResponse(
      simpleOutcome(
        "error",
        "not-supported",
        `${path} is not a resource or operation of this server: see ${path.replace(/\/fhir\/r4\/.*$/, "/fhir/r4/metadata")}.`,
      ),
      404,
    ),
  );
}
