/**
 * FHIR R4 and CDS Hooks mapping for Bone–Brain Care: pure functions between FHIR JSON and the assess
 * contract of lib/clinical (docs/CLINICAL-RULES.md §1, §10). No I/O; the server layer does the rest.
 */
export * from "./bundle";
export * from "./capability";
export * from "./cds";
export * from "./cds-suggestions";
export * from "./codes";
export * from "./fidelity";
export * from "./issues";
export * from "./patient";
export * from "./read";
export * from "./search";
export * from "./search-params";
export * from "./types";
export { dateOf } from "./values";
export * from "./write";
