import type { OpenFlag, PatientHeader } from "@/lib/api/patients";

/** The patient header as pages pass it to components (plain data). */
export type PatientHeaderView = Omit<PatientHeader, "siteId" | "createdAt">;

/** An unresolved stored flag with its rule detail. */
export type OpenFlagView = Omit<OpenFlag, "version" | "assigneeId" | "rulesetVersion">;
