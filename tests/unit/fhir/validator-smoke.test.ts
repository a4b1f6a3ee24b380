import { describe, expect, it } from "vitest";
import { capabilityStatement, patientToFhir } from "@/lib/fhir";
import { fhirErrors } from "../../support/fhir-validate";

describe("validator", () => {
  it("validates", () => {
    console.log(fhirErrors(capabilityStatement("http://x/fhir/r4", "1", "2026-01-01")));
    console.log(fhirErrors(patientToFhir({ id: "a", siteCode: "s", mrn: "1", givenName: "A B", familyName: "C", birthDate: "1950-01-01", sex: "female", postmenopausal: null })));
    expect(fhirErrors({ resourceType: "Bundle", type: "searchset", entry: [] }).length).toBe(1);
  });
});
