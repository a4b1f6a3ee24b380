/** The FHIR R4 endpoint's use-cases: reads, searches and imports (transaction and batch). */
export { importTransaction, type ImportResult } from "./import";
export {
  etagOf,
  exportPatientEverything,
  fhirBaseUrl,
  publicBaseUrl,
  readFhirPatient,
  readFhirResource,
  type FhirClinicalType,
} from "./records";
export { searchFhir, searchPatients } from "./search";
