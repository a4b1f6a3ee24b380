import { z } from "zod";
import { RULESET_POLICY, THRESHOLDS } from "@/lib/clinical/policy";
import { daysBetween } from "@/lib/clinical/dates";

export const TTT_STATUSES = ["remission", "response", "not-improving", "in-progress"] as const;
export type TreatToTargetStatus = (typeof TTT_STATUSES)[number];
export const TTT_SORTS = ["status", "change", "weeks", "latest", "name", "contact"] as const;

export const TTT_STATUS_LABEL: Readonly<Record<TreatToTargetStatus, string>> = {
  remission: "Remission",
  response: "Response",
  "not-improving": "Not improving",
  "in-progress": "In progress",
};

/**
 * Where a patient in depression care stands against the target (docs/CLINICAL-RULES.md §8, the
 * thresholds of lib/clinical): remission when the latest PHQ-9 is below the mild band (< 5);
 * response when it fell by at least half from the baseline; not improving when it is still
 * positive (≥ 10) and less than halved with the two at least the policy interval (10 weeks) apart;
 * otherwise in progress. Needs a later PHQ-9 than the baseline to say anything but in progress.
 */
export function treatToTargetStatus(
  baseline: { total: number; on: string } | null,
  latest: { total: number; on: string } | null,
): TreatToTargetStatus {
  if (!baseline || !latest || latest.on <= baseline.on) return "in-progress";
  if (latest.total < THRESHOLDS.phq9.mild) return "remission";
  if (latest.total <= baseline.total * (1 - THRESHOLDS.responseFraction)) return "response";
  if (
    baseline.total >= THRESHOLDS.phq9.positive &&
    latest.total >= THRESHOLDS.phq9.positive &&
    daysBetween(baseline.on, latest.on) >= RULESET_POLICY.notImprovingMinIntervalDays
  ) {
    return "not-improving";
  }
  return "in-progress";
}

/** Change from baseline in points and in whole percent (null when the baseline is 0). */
export function phq9Change(
  baseline: number | null,
  latest: number | null,
): { points: number | null; percent: number | null } {
  if (baseline === null || latest === null) return { points: null, percent: null };
  const points = latest - baseline;
  return { points, percent: baseline === 0 ? null : Math.round((points / baseline) * 100) };
}

const listOf = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z
    .string()
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values, `${label} must be one of: ${values.join(", ")}`)));

/** GET /api/v1/worklist/treat-to-target (and .csv) query. */
export const treatToTargetQuerySchema = z.strictObject({
  status: listOf(TTT_STATUSES, "status").optional(),
  site: z.uuid("site must be a site id").optional(),
  sort: z.enum(TTT_SORTS, `sort must be one of: ${TTT_SORTS.join(", ")}`).default("status"),
  dir: z.enum(["asc", "desc"], "dir must be asc or desc").optional(),
});
export type TreatToTargetQuery = z.infer<typeof treatToTargetQuerySchema>;

export interface TreatToTargetItem {
  patientId: string;
  givenName: string;
  familyName: string;
  mrn: string;
  siteCode: string;
  /** The first PHQ-9 of the episode of care (the latest on or before care began), and the latest. */
  baselinePhq9: number | null;
  baselineOn: string | null;
  latestPhq9: number | null;
  latestOn: string | null;
  changePoints: number | null;
  changePercent: number | null;
  /** Since the first depression flag opened. */
  careSince: string;
  weeksInCare: number;
  status: TreatToTargetStatus;
  lastContactAt: string | null;
  nextContactDue: string | null;
  /** An unresolved `depression.not-improving` flag: the case is due for psychiatric review. */
  psychiatricConsultation: boolean;
  /** That flag, when there is one. */
  flagId: string | null;
  flagStatus: string | null;
  openedAt: string | null;
  /** Complete PHQ-9 totals, oldest first. */
  phq9: { effective: string; total: number }[];
}
