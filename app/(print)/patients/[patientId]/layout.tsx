export { PatientLayout as default } from "@/app/(clinic)/patients/_data/patient-layout";
