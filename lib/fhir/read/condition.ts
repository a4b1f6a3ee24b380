import {
  CONDITION_VERIFICATION,
  FRACTURE_CODES,
  KNOWN_UNUSED_SNOMED,
  LOCAL,
  SNOMED,
} from "../codes";
import type { FhirCondition } from "../types";
import { codeIn, codesIn, dateOf, describeCodes, extension, isRecord } from "../values";
import type { LocatedResource, ReadContext } from "./context";

/** A fracture (our site code or a known SNOMED concept) with its date and fragility. */
export function readCondition(ctx: ReadContext, item: LocatedResource): void {
  const condition = item.resource as FhirCondition;
  const verification = codeIn(condition.verificationStatus, CONDITION_VERIFICATION);
  if (verification === "refuted" || verification === "entered-in-error") {
    ctx.information(
      `${item.path}.verificationStatus`,
      `Skipped: verification status "${verification}".`,
    );
    return;
  }
  const localSite = codeIn(condition.code, LOCAL.fractureSite);
  const snomed = codesIn(condition.code, SNOMED);
  const known = snomed.map((c) => FRACTURE_CODES[c]).find(Boolean);
  const site = localSite ?? known?.site;
  if (!site) {
    const unused = snomed.map((c) => KNOWN_UNUSED_SNOMED[c]).find(Boolean);
    if (unused) {
      ctx.information(item.path, `Not used: ${unused}.`);
    } else if (ctx.options.mode === "import") {
      ctx.issue(
        "error",
        "code-invalid",
        `${item.path}.code`,
        `Condition code ${describeCodes(condition.code)} is not a fracture this service understands.`,
      );
    }
    // CDS: the EHR sends every condition; those that are not fractures are not relevant here.
    return;
  }
  const date =
    dateOf(condition.onsetDateTime) ??
    dateOf(isRecord(condition.onsetPeriod) ? condition.onsetPeriod.start : undefined) ??
    dateOf(condition.recordedDate);
  if (!date) {
    ctx.unusable(
      "required",
      `${item.path}.onset[x]`,
      "A fracture needs its date (onsetDateTime, onsetPeriod.start or recordedDate).",
    );
    return;
  }
  const fragilityExt = extension(condition, LOCAL.fragilityExtension);
  const fragility =
    typeof fragilityExt?.valueBoolean === "boolean"
      ? fragilityExt.valueBoolean
      : known?.fragility === true;
  ctx.observations.push({
    observation: { kind: "fracture", effective: date, site, fragility },
    sources: [item.path],
  });
}
