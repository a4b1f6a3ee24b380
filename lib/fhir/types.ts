/**
 * The parts of FHIR R4 (4.0.1) JSON this product reads and writes. Deliberately loose: senders differ,
 * so every field is optional and read defensively; the mapping reports what it cannot use.
 */

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
  identifier?: Identifier;
}

export interface Identifier {
  use?: string;
  type?: CodeableConcept;
  system?: string;
  value?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Extension {
  url: string;
  valueBoolean?: boolean;
  valueCode?: string;
  valueCoding?: Coding;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueInteger?: number;
  valueDecimal?: number;
  valuePeriod?: Period;
  valueDate?: string;
  extension?: Extension[];
}

export interface HumanName {
  use?: string;
  text?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
  suffix?: string[];
  period?: Period;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; profile?: string[] };
  [key: string]: unknown;
}

export interface FhirPatient extends Resource {
  resourceType: "Patient";
  identifier?: Identifier[];
  name?: HumanName[];
  gender?: string;
  birthDate?: string;
  extension?: Extension[];
  managingOrganization?: Reference;
}

export interface ObservationComponent {
  code: CodeableConcept;
  valueQuantity?: Quantity;
  valueInteger?: number;
  valueBoolean?: boolean;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
}

export interface FhirObservation extends Resource {
  resourceType: "Observation";
  status?: string;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  subject?: Reference;
  effectiveDateTime?: string;
  effectivePeriod?: Period;
  effectiveInstant?: string;
  issued?: string;
  valueQuantity?: Quantity;
  valueInteger?: number;
  valueString?: string;
  valueBoolean?: boolean;
  valueCodeableConcept?: CodeableConcept;
  hasMember?: Reference[];
  component?: ObservationComponent[];
  extension?: Extension[];
}

export interface FhirCondition extends Resource {
  resourceType: "Condition";
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  subject?: Reference;
  onsetDateTime?: string;
  onsetPeriod?: Period;
  recordedDate?: string;
  extension?: Extension[];
}

export interface Dosage {
  text?: string;
  timing?: { repeat?: { frequency?: number; period?: number; periodUnit?: string } };
  doseAndRate?: { doseQuantity?: Quantity }[];
}

export interface FhirMedicationRequest extends Resource {
  resourceType: "MedicationRequest" | "MedicationStatement";
  status?: string;
  intent?: string;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  subject?: Reference;
  authoredOn?: string;
  dateAsserted?: string;
  effectiveDateTime?: string;
  effectivePeriod?: Period;
  dosageInstruction?: Dosage[];
  dosage?: Dosage[];
  extension?: Extension[];
}

export interface BundleEntry {
  fullUrl?: string;
  resource?: Resource;
  request?: { method?: string; url?: string; ifNoneExist?: string; ifMatch?: string };
  response?: {
    status: string;
    location?: string;
    etag?: string;
    lastModified?: string;
    outcome?: OperationOutcome;
  };
  search?: { mode?: "match" | "include" | "outcome" };
}

export interface Bundle extends Resource {
  resourceType: "Bundle";
  type?: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: BundleEntry[];
}

export type IssueSeverity = "fatal" | "error" | "warning" | "information";

/** FHIR issue-type codes used here (http://hl7.org/fhir/issue-type). */
export type IssueType =
  | "invalid"
  | "structure"
  | "required"
  | "value"
  | "code-invalid"
  | "not-supported"
  | "duplicate"
  | "not-found"
  | "conflict"
  | "business-rule"
  | "informational"
  | "security"
  | "login"
  | "forbidden"
  | "processing"
  | "exception"
  | "timeout"
  | "too-costly";

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  diagnostics?: string;
  /** FHIRPath of the element the issue is about (R4 `expression`). */
  expression?: string[];
  /** The same path, for clients that still read the deprecated `location`. */
  location?: string[];
}

export interface OperationOutcome extends Resource {
  resourceType: "OperationOutcome";
  issue: OperationOutcomeIssue[];
}
