import { z } from "zod";

import { TTT_STATUSES, type TreatToTargetStatus } from "@/lib/clinical/treat-to-target";
import { registryQuerySchema, type RegistryPatientItem } from "./registry";

// The status is clinical logic (lib/clinical); the API re-exports it for its schemas and views.
export {
  TTT_STATUSES,
  treatToTargetStatus,
  type TreatToTargetStatus,
} from "@/lib/clinical/treat-to-target";

export const TTT_SORTS = ["status", "change", "weeks", "latest", "name", "contact"] as const;

export const TTT_STATUS_LABEL: Readonly<Record<TreatToTargetStatus, string>> = {
  remission: "Remission",
  response: "Response",
  "not-improving": "Not improving",
  "in-progress": "In progress",
};

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
export const treatToTargetQuerySchema = registryQuerySchema(
  { status: listOf(TTT_STATUSES, "status").optional() },
  TTT_SORTS,
  "status",
);
export type TreatToTargetQuery = z.infer<typeof treatToTargetQuerySchema>;

export interface TreatToTargetItem extends RegistryPatientItem {
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
  /** An unresolved `depression.not-improving` flag: the case is due for psychiatric review. */
  psychiatricConsultation: boolean;
  /** That flag, when there is one. */
  flagId: string | null;
  flagStatus: string | null;
  openedAt: string | null;
  /** Complete PHQ-9 totals, oldest first. */
  phq9: { effective: string; total: number }[];
}
