import { afterEach, describe, expect, it, vi } from "vitest";
import { logFailure, requestLabel } from "@/lib/api/failure-log";

afterEach(() => vi.restoreAllMocks());

describe("failure log lines", () => {
  it("replace record ids in the path, whatever their form", () => {
    expect(
      requestLabel("POST", "/api/v1/patients/3f2b8c1e-9a4d-4c2b-8e1f-0a1b2c3d4e5f/visits"),
    ).toBe("POST /api/v1/patients/:id/visits");
    expect(requestLabel("GET", "/fhir/r4/Patient/MRN-004217")).toBe("GET /fhir/r4/Patient/:id");
    expect(requestLabel("PATCH", "/api/v1/flags/3F2B8C1E-9A4D-4C2B-8E1F-0A1B2C3D4E5F")).toBe(
      "PATCH /api/v1/flags/:id",
    );
  });

  it("keep route words as they are", () => {
    expect(requestLabel("GET", "/api/v1/quality/metrics")).toBe("GET /api/v1/quality/metrics");
    expect(requestLabel("GET", "/cds-services/bone-brain-check")).toBe(
      "GET /cds-services/bone-brain-check",
    );
  });

  it("print the error's class and code, never its message", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const error = Object.assign(new TypeError('value "Jane Doe, MRN-004217" is not valid'), {
      code: "22P02",
    });
    logFailure(requestLabel("GET", "/api/v1/patients/MRN-004217"), error);
    expect(spy).toHaveBeenCalledTimes(1);
    const line = String(spy.mock.calls[0]![0]);
    expect(line).toBe("[bone-brain] GET /api/v1/patients/:id failed: TypeError (22P02)");
    expect(line).not.toContain("Jane");
    expect(line).not.toContain("004217");
  });
});
