import { readCondition } from "./condition";
import { ReadContext, type LocatedResource, type ReadOptions, type ReadResult } from "./context";
import { readMedication } from "./medication";
import { readObservations } from "./observation";

export type {
  LocatedResource,
  MappedObservation,
  ReadMode,
  ReadOptions,
  ReadResult,
} from "./context";
export { classifyMedication } from "./medication";

/** Reads Observations, Conditions and medication resources into assess-contract observations. */
export function readClinicalResources(
  items: readonly LocatedResource[],
  options: ReadOptions,
): ReadResult {
  const ctx = new ReadContext(items, options);
  readObservations(ctx);
  for (const item of items) {
    switch (item.resource.resourceType) {
      case "Observation":
      case "Medication":
        break;
      case "Condition":
        readCondition(ctx, item);
        break;
      case "MedicationRequest":
      case "MedicationStatement":
        readMedication(ctx, item);
        break;
      default:
        ctx.information(item.path, `${item.resource.resourceType} is not used by this service.`);
    }
  }
  return { observations: ctx.observations, issues: ctx.issues, notUnderstood: ctx.notUnderstood };
}
