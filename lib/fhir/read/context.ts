import type { MappingIssue } from "../issues";
import type { FhirObservation, Resource } from "../types";
import { dateOf, isRecord, quantityOf, unitOf } from "../values";

/** A resource and where it sits in the request (FHIRPath prefix, e.g. `Bundle.entry[3].resource`). */
export interface LocatedResource {
  readonly resource: Resource;
  readonly path: string;
  readonly fullUrl?: string;
}

/** One observation in the assess-contract shape (validated later by lib/clinical), with its sources. */
export interface MappedObservation {
  readonly observation: Record<string, unknown>;
  /** FHIRPaths of the resources it was read from (to point validation errors back at them). */
  readonly sources: readonly string[];
}

export interface ReadResult {
  readonly observations: MappedObservation[];
  readonly issues: MappingIssue[];
  /** Short descriptions of data that could not be used (CDS cards list them). */
  readonly notUnderstood: string[];
}

/**
 * `import`: everything sent must be understood (unknown codes are errors). `cds`: the EHR sends the
 * whole medication and condition lists; conditions that are not fractures are simply not relevant,
 * and medications that cannot be classified are listed as not understood.
 */
export type ReadMode = "import" | "cds";

export interface ReadOptions {
  readonly mode: ReadMode;
  /** Date used for an active medication without any date (CDS: the day of the call). */
  readonly defaultMedicationDate?: string;
}

const OBSERVATION_USABLE_STATUSES = new Set(["final", "amended", "corrected"]);
const SKIPPED_STATUSES = new Set(["entered-in-error", "cancelled"]);

/** The effective date of an observation: effectiveDateTime, effectivePeriod.start, effectiveInstant. */
function observationDate(obs: FhirObservation): { date: string | null; field: string } {
  if (obs.effectiveDateTime !== undefined)
    return { date: dateOf(obs.effectiveDateTime), field: "effectiveDateTime" };
  if (isRecord(obs.effectivePeriod))
    return { date: dateOf(obs.effectivePeriod.start), field: "effectivePeriod.start" };
  if (obs.effectiveInstant !== undefined)
    return { date: dateOf(obs.effectiveInstant), field: "effectiveInstant" };
  return { date: null, field: "effective[x]" };
}

export function referenceKey(ref: unknown): string | null {
  if (!isRecord(ref) || typeof ref.reference !== "string") return null;
  return ref.reference;
}

/**
 * The state of one read: what has been mapped, the issues, which resources a panel has already
 * taken, and how references resolve within the request.
 */
export class ReadContext {
  readonly observations: MappedObservation[] = [];
  readonly issues: MappingIssue[] = [];
  readonly notUnderstood: string[] = [];
  /** Resources already read (as a panel member) or set aside; they are not read again. */
  readonly consumed = new Set<LocatedResource>();
  private readonly byRef = new Map<string, LocatedResource>();

  constructor(
    readonly items: readonly LocatedResource[],
    readonly options: ReadOptions,
  ) {
    for (const item of items) {
      const { resourceType, id } = item.resource;
      if (typeof id === "string") this.byRef.set(`${resourceType}/${id}`, item);
      if (item.fullUrl) {
        this.byRef.set(item.fullUrl, item);
        // An absolute fullUrl ending in Type/id also answers a relative reference.
        const tail = /([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(item.fullUrl);
        if (tail && !this.byRef.has(tail[1]!)) this.byRef.set(tail[1]!, item);
      }
    }
  }

  issue(
    severity: MappingIssue["severity"],
    code: MappingIssue["code"],
    expression: string,
    message: string,
  ): void {
    this.issues.push({ severity, code, expression, message });
  }

  /** An information issue: data that was read but is not used, or skipped on purpose. */
  information(expression: string, message: string): void {
    this.issue("information", "informational", expression, message);
  }

  /** An error in import mode; in CDS mode a warning and a "not understood" line. */
  unusable(code: MappingIssue["code"], expression: string, message: string): void {
    if (this.options.mode === "import") {
      this.issue("error", code, expression, message);
    } else {
      this.issue("warning", code, expression, message);
      this.notUnderstood.push(message);
    }
  }

  resolve(ref: unknown): LocatedResource | undefined {
    const key = referenceKey(ref);
    return key ? this.byRef.get(key) : undefined;
  }

  /** Whether an Observation's status is a final result; if not, it is consumed (and reported). */
  usableStatus(item: LocatedResource, report = false): boolean {
    const status = (item.resource as FhirObservation).status;
    if (status === undefined || OBSERVATION_USABLE_STATUSES.has(status)) return true;
    if (report) {
      this.issue(
        SKIPPED_STATUSES.has(status) ? "information" : "warning",
        "informational",
        `${item.path}.status`,
        `Skipped: an Observation with status "${status}" is not a final result.`,
      );
    }
    this.consumed.add(item);
    return false;
  }

  dateOrIssue(item: LocatedResource): string | null {
    const { date, field } = observationDate(item.resource as FhirObservation);
    if (!date) {
      this.unusable(
        "required",
        `${item.path}.${field}`,
        `${field} must be a full date (YYYY-MM-DD or a dateTime).`,
      );
    }
    return date;
  }

  /** The date and numeric valueQuantity of an Observation, or null once the gap is reported. */
  datedQuantity(
    item: LocatedResource,
    what: string,
  ): { effective: string; value: number; unit: string | undefined } | null {
    const effective = this.dateOrIssue(item);
    if (!effective) return null;
    const q = quantityOf((item.resource as FhirObservation).valueQuantity);
    if (typeof q?.value !== "number") {
      this.unusable(
        "required",
        `${item.path}.valueQuantity.value`,
        `${what} needs a numeric valueQuantity.`,
      );
      return null;
    }
    return { effective, value: q.value, unit: unitOf(q) };
  }
}
