import type { Sex } from "@/lib/clinical/constants";

export const SEX_LABEL: Readonly<Record<Sex, string>> = {
  female: "Female",
  male: "Male",
  other: "Other",
  unknown: "Unknown",
};

/** "Postmenopausal", "Not postmenopausal", "Menopausal status not recorded", or null for men. */
export function menopauseLabel(sex: Sex, postmenopausal: boolean | null): string | null {
  if (sex === "male") return null;
  if (postmenopausal === true) return "Postmenopausal";
  if (postmenopausal === false) return "Not postmenopausal";
  return "Menopausal status not recorded";
}
