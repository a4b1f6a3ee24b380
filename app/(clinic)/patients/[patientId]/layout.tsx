export { PatientLayout as default } from "../_data/patient-layout";
