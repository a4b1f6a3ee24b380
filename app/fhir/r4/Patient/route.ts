// GET /fhir/r4/Patient?identifier=&name=&birthdate=: the caller's sites' patients, paged.
import { searchRoute } from "../_lib/search-route";
import { otherMethods } from "../_lib/unsupported";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Patient");
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
