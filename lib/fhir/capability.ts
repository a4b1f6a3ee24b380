import { US_CORE_PATIENT } from "./patient";
import { SEARCH_PARAMETERS, type SearchType } from "./search-params";
import { US_CORE_MEDICATION_REQUEST } from "./write";

/** What each search parameter is, for the CapabilityStatement. */
const PARAMETER_DOCS: Readonly<Record<string, string>> = {
  _id: "Logical id; comma = or.",
  _lastUpdated: "meta.lastUpdated, with a prefix (eq, ne, gt, lt, ge, le, sa, eb, ap).",
  patient: "Required: <id>, Patient/<id> or an absolute reference on this server.",
  subject: "Patient/<id> (as patient).",
  code: "system|code, |code or code; comma = or. The sender's codes and ours both match.",
  category: "system|code or code (e.g. survey, imaging, laboratory, exam).",
  date: "Effective date with a prefix, e.g. ge2022-01-01; repeat for a range.",
  identifier: "system|value (our MRN system or any identifier the sender sent) or value.",
  name: "Family or given name starts with (case-insensitive).",
  birthdate: "With a prefix, e.g. le1950-12-31.",
};

const TYPE_OF: Readonly<Record<string, string>> = {
  reference: "reference",
  token: "token",
  date: "date",
  string: "string",
  id: "token",
};

function searchParams(type: SearchType): Record<string, unknown>[] {
  return [
    ...Object.entries(SEARCH_PARAMETERS[type]).map(([name, kind]) => ({
      name,
      type: TYPE_OF[kind],
      ...(PARAMETER_DOCS[name] ? { documentation: PARAMETER_DOCS[name] } : {}),
    })),
    { name: "_count", type: "number", documentation: "Page size, 1–500 (default 100)." },
    { name: "_offset", type: "number", documentation: "Used by the next links." },
  ];
}

const READ_SEARCH = [{ code: "read" }, { code: "search-type" }];

/** The server's CapabilityStatement (FHIR R4 4.0.1): what /fhir/r4 answers. */
export function capabilityStatement(
  baseUrl: string,
  version: string,
  date: string,
): Record<string, unknown> {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date,
    publisher: "Bone–Brain Care",
    kind: "instance",
    software: { name: "Bone–Brain Care", version },
    implementation: { description: "Bone–Brain Care FHIR R4 endpoint", url: baseUrl },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json", "json"],
    rest: [
      {
        mode: "server",
        documentation:
          "Authenticate with `Authorization: Bearer <API token>` (issued by an administrator, scopes fhir.read / fhir.write) or a signed-in session. Unknown search parameters are ignored and named in an OperationOutcome entry, unless the request sends `Prefer: handling=strict`.",
        security: {
          cors: false,
          description:
            "Bearer API tokens (stored hashed) or a next-auth session; patients are limited to the caller's sites.",
        },
        resource: [
          {
            type: "Patient",
            profile: US_CORE_PATIENT,
            supportedProfile: [US_CORE_PATIENT],
            interaction: READ_SEARCH,
            versioning: "versioned",
            conditionalCreate: true,
            conditionalUpdate: true,
            searchParam: searchParams("Patient"),
            operation: [
              {
                name: "everything",
                definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything",
              },
            ],
          },
          {
            type: "Observation",
            interaction: READ_SEARCH,
            versioning: "versioned",
            conditionalCreate: true,
            conditionalUpdate: true,
            searchParam: searchParams("Observation"),
          },
          {
            type: "Condition",
            interaction: READ_SEARCH,
            versioning: "versioned",
            searchParam: searchParams("Condition"),
          },
          {
            type: "MedicationRequest",
            supportedProfile: [US_CORE_MEDICATION_REQUEST],
            interaction: READ_SEARCH,
            versioning: "versioned",
            searchParam: searchParams("MedicationRequest"),
          },
        ],
        interaction: [
          {
            code: "transaction",
            documentation:
              "A Bundle with one Patient (matched by an identifier it carries, or our MRN, or created) and its Observations, Conditions and MedicationRequests. A resource already stored (same identifier, same id or fullUrl from the sender, PUT of our id, or the same content) is not stored again; a changed one is updated (If-Match honoured). All or nothing.",
          },
          {
            code: "batch",
            documentation: "As transaction (applied all or nothing too).",
          },
        ],
      },
    ],
  };
}
