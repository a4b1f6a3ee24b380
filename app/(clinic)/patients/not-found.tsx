import { PatientNotFound } from "@/components/patient/patient-not-found";

export default function ClinicPatientNotFound() {
  return (
    <PatientNotFound>
      There is no such patient at your sites. Search again, or ask for access to the site.
    </PatientNotFound>
  );
}
