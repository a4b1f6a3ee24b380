import type { IssueSeverity, IssueType, OperationOutcome, OperationOutcomeIssue } from "./types";

/** One problem found while mapping FHIR to the assess contract, with the FHIRPath it is about. */
export interface MappingIssue {
  readonly severity: Exclude<IssueSeverity, "fatal">;
  readonly code: IssueType;
  readonly message: string;
  /** FHIRPath, e.g. `Bundle.entry[3].resource.valueQuantity.code`. */
  readonly expression: string;
}

/** An OperationOutcome with one issue per mapping issue (expression and location both set). */
export function operationOutcome(
  issues: readonly (
    | MappingIssue
    | { severity: IssueSeverity; code: IssueType; message: string; expression?: string }
  )[],
): OperationOutcome {
  // An OperationOutcome needs at least one issue.
  if (issues.length === 0)
    issues = [{ severity: "information", code: "informational", message: "No issues." }];
  return {
    resourceType: "OperationOutcome",
    issue: issues.map((i): OperationOutcomeIssue => {
      const issue: OperationOutcomeIssue = {
        severity: i.severity,
        code: i.code,
        diagnostics: i.message,
      };
      if (i.expression) {
        issue.expression = [i.expression];
        issue.location = [i.expression];
      }
      return issue;
    }),
  };
}

/** A single-issue OperationOutcome. */
export function simpleOutcome(
  severity: IssueSeverity,
  code: IssueType,
  message: string,
  expression?: string,
): OperationOutcome {
  return operationOutcome([{ severity, code, message, ...(expression ? { expression } : {}) }]);
}
