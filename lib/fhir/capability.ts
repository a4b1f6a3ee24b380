/** The server's CapabilityStatement (FHIR R4 4.0.1): what /fhir/r4 answers. */
export function capabilityStatement(
  baseUrl: string,
  version: string,
  date: string,
): Record<string, unknown> {
  const searchPatient = {
    name: "patient",
    type: "reference",
    documentation: "Required: Patient/<id> or <id>.",
  };
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
          "Authenticate with `Authorization: Bearer <API token>` (issued by an administrator, scopes fhir.read / fhir.write) or a signed-in session.",
        security: {
          cors: false,
          description:
            "Bearer API tokens (stored hashed) or a next-auth session; patients are limited to the caller's sites.",
        },
        resource: [
          {
            type: "Patient",
            profile: "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient",
            interaction: [{ code: "read" }],
            operation: [
              {
                name: "everything",
                definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything",
              },
            ],
          },
          {
            type: "Observation",
            interaction: [{ code: "search-type" }],
            searchParam: [
              searchPatient,
              {
                name: "code",
                type: "token",
                documentation: "system|code, |code or code; comma = or.",
              },
              { name: "_sort", type: "string", documentation: "date or -date (default -date)." },
              { name: "_count", type: "number", documentation: "Page size, 1–500 (default 100)." },
            ],
          },
          {
            type: "Condition",
            interaction: [{ code: "search-type" }],
            searchParam: [searchPatient, { name: "code", type: "token" }],
          },
          {
            type: "MedicationRequest",
            interaction: [{ code: "search-type" }],
            searchParam: [searchPatient, { name: "status", type: "token" }],
          },
        ],
        interaction: [
          {
            code: "transaction",
            documentation:
              "A transaction Bundle with one Patient (matched by our MRN identifier or created) and its Observations, Conditions and MedicationRequests, imported as one visit; all or nothing.",
          },
        ],
      },
    ],
  };
}
