import type { FhirObservation } from "../types";
import { describeCodes } from "../values";
import { classifyObservation } from "./classify";
import type { LocatedResource, ReadContext } from "./context";
import {
  addBmdObservations,
  readBmd,
  readFalls,
  readFrax,
  readVitaminD,
  type BmdScores,
} from "./measurements";
import { readGds15, readPhqPanel, readStandalonePhqParts } from "./questionnaires";

/** Every Observation of the request: panels first, as their members are read with them. */
export function readObservations(ctx: ReadContext): void {
  const observations = ctx.items.filter((i) => i.resource.resourceType === "Observation");
  for (const item of observations) {
    const c = classifyObservation(item.resource as FhirObservation);
    if (c.type !== "phq9-panel" && c.type !== "phq2-panel") continue;
    // A panel that is not a final result is skipped, and said so, like any other Observation.
    if (ctx.usableStatus(item, true)) readPhqPanel(ctx, item, c.type);
  }
  const standalone: LocatedResource[] = [];
  for (const item of observations) {
    if (ctx.consumed.has(item) || !ctx.usableStatus(item, true)) continue;
    standalone.push(item);
  }
  readStandalonePhqParts(ctx, standalone);
  const bmd: BmdScores = new Map();
  for (const item of standalone) {
    if (ctx.consumed.has(item)) continue;
    const obs = item.resource as FhirObservation;
    const c = classifyObservation(obs);
    switch (c.type) {
      case "gds15":
        readGds15(ctx, item);
        break;
      case "bmd":
        readBmd(ctx, item, c.code, bmd);
        break;
      case "vitaminD":
        readVitaminD(ctx, item);
        break;
      case "frax":
        readFrax(ctx, item);
        break;
      case "falls":
        readFalls(ctx, item);
        break;
      case "unused":
        ctx.information(item.path, `Not used: ${c.why}.`);
        break;
      case "unknown":
        ctx.unusable(
          "code-invalid",
          `${item.path}.code`,
          `Observation code ${describeCodes(obs.code)} is not one this service understands.`,
        );
        break;
      case "phq9-panel":
      case "phq2-panel":
      case "phq":
        break;
    }
  }
  addBmdObservations(ctx, bmd);
}
