import type { Priority, Severity, Sex } from "@/lib/clinical/constants";
import type { Assessment, DataStatus, Flag } from "@/lib/clinical/types";

/** The patient header as pages pass it to components (plain data). */
export interface PatientHeaderView {
  id: string;
  siteCode: string;
  siteName: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
  postmenopausal: boolean | null;
}

/** An unresolved stored flag with its rule detail. */
export interface OpenFlagView {
  id: string;
  code: string;
  severity: Severity;
  status: "open" | "acknowledged" | "snoozed";
  openedAt: string;
  dueOn: string | null;
  assigneeName: string | null;
  snoozedUntil: string | null;
  firing: boolean;
  detail: Flag | null;
}

export interface LatestAssessmentView extends Assessment {
  id: string;
  createdAt: string;
}

export type { DataStatus, Priority };
