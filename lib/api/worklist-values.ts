/*
 * The worklist's value lists that the browser needs, without zod: imported from here by the
 * worklist's components so that its page does not load the API schemas (lib/api/worklist.ts
 * re-exports them for everything else).
 */

/** Flag areas: the part of a flag code before the dot. */
export const FLAG_AREAS = [
  "safety",
  "depression",
  "bone",
  "vitd",
  "falls",
  "meds",
  "comorbidity",
] as const;
export type FlagArea = (typeof FLAG_AREAS)[number];

export const RESOLUTION_REASONS = [
  "treated",
  "referred",
  "patient-declined",
  "not-clinically-relevant",
  "duplicate",
  "other",
] as const;
export type ResolutionReason = (typeof RESOLUTION_REASONS)[number];

/** How a resolution reason reads to people (the drawer, the timeline, rule performance). */
export const RESOLUTION_REASON_LABEL: Record<ResolutionReason, string> = {
  treated: "Treated",
  referred: "Referred",
  "patient-declined": "Patient declined",
  "not-clinically-relevant": "Not clinically relevant",
  duplicate: "Duplicate",
  other: "Other",
};

/**
 * The coded resolution of the suicide-risk flag by the clinician who saw the patient: a safety
 * plan was made. Only that flag takes it, and a clinician (who may acknowledge) may record it.
 */
export const SAFETY_PLAN_DONE = "safety-plan-done";
export const SUICIDE_RISK_FLAG = "safety.suicide-risk";
