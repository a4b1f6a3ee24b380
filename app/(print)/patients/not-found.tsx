import { PatientNotFound } from "@/components/patient/patient-not-found";

export default function PrintPatientNotFound() {
  return <PatientNotFound>There is no such patient at your sites.</PatientNotFound>;
}
