import { z } from "zod";
import { registryQuerySchema, type RegistryPatientItem } from "./registry";

export const BONE_SORTS = ["name", "dxa", "treatment", "follow-up"] as const;
export const BONE_SHOWS = ["all", "dxa-due", "on-treatment", "untreated"] as const;

export const BONE_SHOW_LABEL: Readonly<Record<(typeof BONE_SHOWS)[number], string>> = {
  all: "Everyone in bone care",
  "dxa-due": "DXA due",
  "on-treatment": "On treatment",
  untreated: "Not on treatment",
};

/** GET /api/v1/worklist/bone-registry (and .csv) query. */
export const boneRegistryQuerySchema = registryQuerySchema(
  { show: z.enum(BONE_SHOWS, `show must be one of: ${BONE_SHOWS.join(", ")}`).default("all") },
  BONE_SORTS,
  "dxa",
);
export type BoneRegistryQuery = z.infer<typeof boneRegistryQuerySchema>;

export interface BoneRegistryItem extends RegistryPatientItem {
  /** The rules' open DXA flag (`bone.dxa-due` or `bone.fracture-followup-due`), when there is one. */
  dxaDue: { code: string; title: string; dueOn: string | null } | null;
  latestDxaOn: string | null;
  lowestTScore: number | null;
  /** Active osteoporosis treatments (medication classes) and when the earliest started. */
  treatments: string[];
  treatmentStartedOn: string | null;
  /** The app records no adherence: always null until it does (the screens say so). */
  adherenceNotedOn: null;
  /** On treatment: the latest DXA plus the policy repeat interval (CLINICAL-RULES §11). */
  followUpDxaDue: string | null;
}
