// GET /fhir/r4/Condition?patient=&code=: token search on one patient's resources, sorted by date.
import { searchRoute } from "../_lib/search-route";

export const dynamic = "force-dynamic";

export const GET = searchRoute("Condition");
