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

/**
 * Where a resource breaks FHIR JSON in a way the readers must never meet: a `null` (allowed only in
 * the `_name` arrays of primitive extensions), or a member of a list of elements that is not an
 * object (`component: [null]`, `hasMember: [3]`).
 */
export function malformedAt(value: unknown, path: string): string | null {
  if (value === null) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = malformedAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object") return null;
  for (const [key, member] of Object.entries(value)) {
    if (key.startsWith("_")) continue;
    if (
      ["component", "hasMember", "coding", "category", "identifier", "extension"].includes(key) &&
      Array.isArray(member)
    ) {
      const index = member.findIndex(
        (m) => typeof m !== "object" || m === null || Array.isArray(m),
      );
      if (index >= 0) return `${path}.${key}[${index}]`;
    }
    const found = malformedAt(member, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** Reads Observations, Conditions and medication resources into assess-contract observations. */
export function readClinicalResources(
  all: readonly LocatedResource[],
  options: ReadOptions,
): ReadResult {
  const rejected: string[] = [];
  const items = all.filter((item) => {
    const at = malformedAt(item.resource, item.path);
    if (at) rejected.push(at);
    return !at;
  });
  const ctx = new ReadContext(items, options);
  for (const at of rejected) {
    ctx.unusable(
      "structure",
      at,
      `${at} must be an object (FHIR JSON has no null list members); the resource was not read.`,
    );
  }
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
