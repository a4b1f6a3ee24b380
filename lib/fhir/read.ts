import {
  MAX_MEDICATION_NAME_LENGTH,
  MEDICATION_CLASSES,
  type MedicationClass,
} from "@/lib/clinical";
import {
  BMD_CODES,
  BMD_SCORE_UNITS,
  CONDITION_VERIFICATION,
  FALLS_CODES,
  FRACTURE_CODES,
  FRAX_CODES,
  GDS15_TOTAL,
  KNOWN_UNUSED_LOINC,
  KNOWN_UNUSED_SNOMED,
  LOCAL,
  LOINC,
  MEDICATION_NAMES,
  PHQ2_PANEL,
  PHQ2_TOTAL,
  PHQ9_DIFFICULTY,
  PHQ9_ITEM_CODES,
  PHQ9_PANEL,
  PHQ9_TOTAL,
  PHQ_DIFFICULTY_ANSWERS,
  PHQ_FREQUENCY_ANSWERS,
  PREDNISOLONE_EQUIVALENT_NAMES,
  RXNORM,
  RXNORM_INGREDIENTS,
  SNOMED,
  VITAMIN_D_CODES,
  type BmdCode,
} from "./codes";
import type { MappingIssue } from "./issues";
import type {
  CodeableConcept,
  FhirCondition,
  FhirMedicationRequest,
  FhirObservation,
  ObservationComponent,
  Resource,
} from "./types";
import {
  booleanValue,
  codeIn,
  codesIn,
  codings,
  dateOf,
  describeCodes,
  extension,
  integerValue,
  isRecord,
  quantityOf,
  unitOf,
} from "./values";

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

type PhqPart =
  | { type: "item"; index: number }
  | { type: "phq9-total" }
  | { type: "phq2-total" }
  | { type: "difficulty" };

type Classified =
  | { type: "phq9-panel" }
  | { type: "phq2-panel" }
  | { type: "phq"; part: PhqPart }
  | { type: "gds15" }
  | { type: "bmd"; code: BmdCode; loinc: string }
  | { type: "vitaminD" }
  | { type: "frax" }
  | { type: "falls" }
  | { type: "unused"; why: string }
  | { type: "unknown" };

function classifyObservation(obs: FhirObservation): Classified {
  const loinc = codesIn(obs.code, LOINC);
  for (const code of loinc) {
    if (code === PHQ9_PANEL) return { type: "phq9-panel" };
    if (code === PHQ2_PANEL) return { type: "phq2-panel" };
    const item = (PHQ9_ITEM_CODES as readonly string[]).indexOf(code);
    if (item >= 0) return { type: "phq", part: { type: "item", index: item } };
    if (code === PHQ9_TOTAL) return { type: "phq", part: { type: "phq9-total" } };
    if (code === PHQ2_TOTAL) return { type: "phq", part: { type: "phq2-total" } };
    if (code === PHQ9_DIFFICULTY) return { type: "phq", part: { type: "difficulty" } };
    if (code === GDS15_TOTAL) return { type: "gds15" };
    const bmd = BMD_CODES[code];
    if (bmd) return { type: "bmd", code: bmd, loinc: code };
    if ((VITAMIN_D_CODES as readonly string[]).includes(code)) return { type: "vitaminD" };
  }
  if (codeIn(obs.code, LOCAL.frax) === FRAX_CODES.panel) return { type: "frax" };
  if (codeIn(obs.code, LOCAL.falls) === FALLS_CODES.panel) return { type: "falls" };
  if (codesIn(obs.code, LOCAL.gds15).length) return { type: "gds15" };
  for (const code of loinc) {
    const why = KNOWN_UNUSED_LOINC[code];
    if (why) return { type: "unused", why };
  }
  return { type: "unknown" };
}

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

function referenceKey(ref: unknown): string | null {
  if (!isRecord(ref) || typeof ref.reference !== "string") return null;
  return ref.reference;
}

interface QuestionnaireGroup {
  kind: "phq9" | "phq2";
  effective: string;
  items: (number | null)[];
  itemSources: (string | null)[];
  total?: number;
  phq2Total?: number;
  difficulty?: number;
  sources: string[];
  /** Where the group came from, for messages. */
  path: string;
}

class Reader {
  readonly observations: MappedObservation[] = [];
  readonly issues: MappingIssue[] = [];
  readonly notUnderstood: string[] = [];
  private readonly byRef = new Map<string, LocatedResource>();
  private readonly consumed = new Set<LocatedResource>();

  constructor(
    private readonly items: readonly LocatedResource[],
    private readonly options: ReadOptions,
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

  private issue(
    severity: MappingIssue["severity"],
    code: MappingIssue["code"],
    expression: string,
    message: string,
  ): void {
    this.issues.push({ severity, code, expression, message });
  }

  /** An error in import mode; in CDS mode a warning and a "not understood" line. */
  private unusable(code: MappingIssue["code"], expression: string, message: string): void {
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

  run(): ReadResult {
    const observations = this.items.filter((i) => i.resource.resourceType === "Observation");
    // Panels first: their members are read as part of the panel.
    for (const item of observations) {
      const obs = item.resource as FhirObservation;
      if (!this.usableStatus(item)) continue;
      const c = classifyObservation(obs);
      if (c.type === "phq9-panel" || c.type === "phq2-panel") this.readPanel(item, c.type);
    }
    const standalone: LocatedResource[] = [];
    for (const item of observations) {
      if (this.consumed.has(item) || !this.usableStatus(item, true)) continue;
      standalone.push(item);
    }
    this.readStandaloneQuestionnaireParts(standalone);
    const bmd = new Map<
      string,
      { t?: number; z?: number; effective: string; site: string; sources: string[] }
    >();
    for (const item of standalone) {
      if (this.consumed.has(item)) continue;
      const obs = item.resource as FhirObservation;
      const c = classifyObservation(obs);
      switch (c.type) {
        case "gds15":
          this.readGds15(item);
          break;
        case "bmd":
          this.readBmd(item, c.code, bmd);
          break;
        case "vitaminD":
          this.readVitaminD(item);
          break;
        case "frax":
          this.readFrax(item);
          break;
        case "falls":
          this.readFalls(item);
          break;
        case "unused":
          this.issue("information", "informational", item.path, `Not used: ${c.why}.`);
          break;
        case "unknown":
          this.unusable(
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
    for (const entry of bmd.values()) {
      this.observations.push({
        observation: {
          kind: "bmd",
          effective: entry.effective,
          site: entry.site,
          ...(entry.t !== undefined ? { tScore: entry.t } : {}),
          ...(entry.z !== undefined ? { zScore: entry.z } : {}),
        },
        sources: entry.sources,
      });
    }
    for (const item of this.items) {
      switch (item.resource.resourceType) {
        case "Observation":
          break;
        case "Condition":
          this.readCondition(item);
          break;
        case "MedicationRequest":
        case "MedicationStatement":
          this.readMedication(item);
          break;
        case "Medication":
          break;
        default:
          this.issue(
            "information",
            "informational",
            item.path,
            `${item.resource.resourceType} is not used by this service.`,
          );
      }
    }
    return {
      observations: this.observations,
      issues: this.issues,
      notUnderstood: this.notUnderstood,
    };
  }

  private usableStatus(item: LocatedResource, report = false): boolean {
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

  private dateOrIssue(item: LocatedResource): string | null {
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

  private newGroup(kind: "phq9" | "phq2", effective: string, path: string): QuestionnaireGroup {
    return {
      kind,
      effective,
      items: Array<number | null>(9).fill(null),
      itemSources: Array<string | null>(9).fill(null),
      sources: [],
      path,
    };
  }

  private readPanel(item: LocatedResource, type: "phq9-panel" | "phq2-panel"): void {
    this.consumed.add(item);
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const group = this.newGroup(type === "phq9-panel" ? "phq9" : "phq2", effective, item.path);
    group.sources.push(item.path);
    const members = Array.isArray(obs.hasMember) ? obs.hasMember : [];
    members.forEach((ref, index) => {
      const member = this.resolve(ref);
      if (!member) {
        this.issue(
          "warning",
          "not-found",
          `${item.path}.hasMember[${index}]`,
          `Panel member ${referenceKey(ref) ?? "(no reference)"} is not included; it was not read.`,
        );
        return;
      }
      if (member.resource.resourceType !== "Observation") return;
      this.consumed.add(member);
      if (!this.usableStatus(member, true)) return;
      const c = classifyObservation(member.resource as FhirObservation);
      if (c.type !== "phq") {
        this.unusable(
          "code-invalid",
          `${member.path}.code`,
          `Panel member code ${describeCodes((member.resource as FhirObservation).code)} is not a PHQ item or total.`,
        );
        return;
      }
      this.addPart(group, member, c.part);
    });
    // Panel components (some senders put the answers there instead of in members).
    (Array.isArray(obs.component) ? obs.component : []).forEach((component, index) => {
      const c = classifyObservation({ resourceType: "Observation", code: component.code });
      if (c.type !== "phq") return;
      this.addPart(
        group,
        { resource: component as unknown as Resource, path: `${item.path}.component[${index}]` },
        c.part,
      );
    });
    this.finishGroup(group);
  }

  private readStandaloneQuestionnaireParts(items: readonly LocatedResource[]): void {
    const groups = new Map<string, QuestionnaireGroup>();
    for (const item of items) {
      const c = classifyObservation(item.resource as FhirObservation);
      if (c.type !== "phq") continue;
      this.consumed.add(item);
      const effective = this.dateOrIssue(item);
      if (!effective) continue;
      let group = groups.get(effective);
      if (!group) {
        group = this.newGroup("phq9", effective, item.path);
        groups.set(effective, group);
      }
      this.addPart(group, item, c.part);
    }
    for (const group of groups.values()) {
      // Items 1–2 with a PHQ-2 total and nothing else of the PHQ-9 are a PHQ-2.
      const onlyFirstTwo = group.items.every((v, i) => i < 2 || v === null);
      if (group.phq2Total !== undefined && group.total === undefined && onlyFirstTwo) {
        group.kind = "phq2";
      }
      this.finishGroup(group);
    }
  }

  private addPart(group: QuestionnaireGroup, item: LocatedResource, part: PhqPart): void {
    const source = item.resource as FhirObservation | ObservationComponent;
    group.sources.push(item.path);
    switch (part.type) {
      case "item": {
        const value = this.phqAnswer(source, item.path, PHQ_FREQUENCY_ANSWERS, "PHQ item");
        if (value === undefined) return;
        if (group.itemSources[part.index] !== null) {
          this.unusable(
            "duplicate",
            item.path,
            `PHQ-9 item ${part.index + 1} is given twice for ${group.effective}.`,
          );
          return;
        }
        group.items[part.index] = value;
        group.itemSources[part.index] = item.path;
        return;
      }
      case "difficulty": {
        const value = this.phqAnswer(source, item.path, PHQ_DIFFICULTY_ANSWERS, "PHQ difficulty");
        if (value !== undefined) group.difficulty = value;
        return;
      }
      case "phq9-total":
      case "phq2-total": {
        const read = integerValue(source);
        if (!read) {
          this.unusable("required", `${item.path}.value[x]`, "The total score has no value.");
          return;
        }
        if ("error" in read) {
          this.unusable("value", `${item.path}.${read.field}`, `The total score ${read.error}.`);
          return;
        }
        if (part.type === "phq9-total") group.total = read.value;
        else group.phq2Total = read.value;
        return;
      }
    }
  }

  private phqAnswer(
    source: FhirObservation | ObservationComponent,
    path: string,
    answers: Readonly<Record<string, number>>,
    what: string,
  ): number | undefined {
    if (source.valueCodeableConcept !== undefined) {
      const all = codings(source.valueCodeableConcept);
      for (const c of all) {
        if (c.system === LOINC || c.system === undefined) {
          const value = answers[c.code!];
          if (value !== undefined) return value;
        }
      }
      this.unusable(
        "code-invalid",
        `${path}.valueCodeableConcept`,
        `${what} answer ${describeCodes(source.valueCodeableConcept)} is not a known LOINC answer code (expected one of ${Object.keys(answers).join(", ")}).`,
      );
      return undefined;
    }
    const read = integerValue(source);
    if (!read) {
      this.unusable("required", `${path}.value[x]`, `${what} has no answer.`);
      return undefined;
    }
    if ("error" in read || read.value < 0 || read.value > 3) {
      this.unusable(
        "value",
        `${path}.${read.field}`,
        `${what} answer must be a whole number from 0 to 3.`,
      );
      return undefined;
    }
    return read.value;
  }

  private finishGroup(group: QuestionnaireGroup): void {
    const count = group.kind === "phq9" ? 9 : 2;
    const items = group.items.slice(0, count);
    const answered = items.filter((v) => v !== null).length;
    const total = group.kind === "phq9" ? group.total : (group.phq2Total ?? group.total);
    if (group.kind === "phq2" && group.items.slice(2).some((v) => v !== null)) {
      this.unusable("business-rule", group.path, "A PHQ-2 panel holds items 1 and 2 only.");
      return;
    }
    if (answered === 0 && total === undefined) {
      if (group.difficulty === undefined) return;
      this.unusable(
        "required",
        group.path,
        "A PHQ-9 difficulty answer was given without items or a total.",
      );
      return;
    }
    const observation: Record<string, unknown> = { kind: group.kind, effective: group.effective };
    if (answered > 0) {
      if (total !== undefined && answered < count) {
        this.unusable(
          "business-rule",
          group.path,
          `A ${group.kind === "phq9" ? "PHQ-9" : "PHQ-2"} total of ${total} came with only ${answered} of ${count} items: send every item or the total alone (no prorating).`,
        );
        return;
      }
      observation.items = items;
    }
    if (total !== undefined) {
      const sum = answered === count ? items.reduce<number>((s, v) => s + (v ?? 0), 0) : null;
      if (sum !== null && sum !== total) {
        this.unusable(
          "business-rule",
          group.path,
          `The ${group.kind === "phq9" ? "PHQ-9" : "PHQ-2"} total ${total} does not match its items, which score ${sum}.`,
        );
        return;
      }
      observation.total = total;
    }
    if (group.kind === "phq9" && group.difficulty !== undefined) {
      observation.difficulty = group.difficulty;
    }
    this.observations.push({ observation, sources: group.sources });
  }

  private readGds15(item: LocatedResource): void {
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const observation: Record<string, unknown> = { kind: "gds15", effective };
    const answers: (string | null)[] = Array<string | null>(15).fill(null);
    let any = false;
    (Array.isArray(obs.component) ? obs.component : []).forEach((component, index) => {
      const code = codeIn(component.code, LOCAL.gds15);
      const match = /^item-(\d{1,2})$/.exec(code ?? "");
      const n = match ? Number(match[1]) : NaN;
      if (!match || n < 1 || n > 15) {
        this.unusable(
          "code-invalid",
          `${item.path}.component[${index}].code`,
          `GDS-15 component ${describeCodes(component.code)} is not item-1 … item-15 of ${LOCAL.gds15}.`,
        );
        return;
      }
      const value = booleanValue(component);
      if (value === null) {
        this.unusable(
          "value",
          `${item.path}.component[${index}]`,
          `GDS-15 item ${n} must be yes or no.`,
        );
        return;
      }
      answers[n - 1] = value ? "yes" : "no";
      any = true;
    });
    if (any) observation.answers = answers;
    const read = integerValue(obs);
    if (read && "error" in read) {
      this.unusable("value", `${item.path}.${read.field}`, `The GDS-15 total ${read.error}.`);
      return;
    }
    if (read) {
      if (any && answers.some((a) => a === null)) {
        this.unusable(
          "business-rule",
          item.path,
          "A GDS-15 total came with unanswered items (no prorating).",
        );
        return;
      }
      observation.total = read.value;
    }
    if (!any && !read) {
      this.unusable(
        "required",
        `${item.path}.value[x]`,
        "The GDS-15 has neither a total nor answers.",
      );
      return;
    }
    this.consumed.add(item);
    this.observations.push({ observation, sources: [item.path] });
  }

  private readBmd(
    item: LocatedResource,
    code: BmdCode,
    merged: Map<
      string,
      { t?: number; z?: number; effective: string; site: string; sources: string[] }
    >,
  ): void {
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const q = quantityOf(obs.valueQuantity);
    if (typeof q?.value !== "number") {
      this.unusable(
        "required",
        `${item.path}.valueQuantity.value`,
        "A T- or Z-score needs a numeric valueQuantity.",
      );
      return;
    }
    const unit = unitOf(q);
    if (unit !== undefined && !(BMD_SCORE_UNITS as readonly string[]).includes(unit)) {
      this.unusable(
        "value",
        `${item.path}.valueQuantity.code`,
        `Unit "${unit}" is not a T- or Z-score unit: send UCUM ${BMD_SCORE_UNITS.join(", ")} (areal BMD in g/cm² is not used).`,
      );
      return;
    }
    const key = `${code.site}|${code.side}|${effective}`;
    const entry = merged.get(key) ?? { effective, site: code.site, sources: [] };
    const field = code.score === "t" ? "t" : "z";
    if (entry[field] !== undefined) {
      this.unusable(
        "duplicate",
        item.path,
        `A second ${code.score.toUpperCase()}-score for ${code.site} (${code.side}) on ${effective}.`,
      );
      return;
    }
    entry[field] = q.value;
    entry.sources.push(item.path);
    merged.set(key, entry);
  }

  private readVitaminD(item: LocatedResource): void {
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const q = quantityOf(obs.valueQuantity);
    if (typeof q?.value !== "number") {
      this.unusable(
        "required",
        `${item.path}.valueQuantity.value`,
        "25-hydroxyvitamin D needs a numeric valueQuantity.",
      );
      return;
    }
    const unit = unitOf(q);
    const normalized =
      unit === "ng/mL" || unit === "nmol/L"
        ? unit
        : unit?.toLowerCase() === "ng/ml"
          ? "ng/mL"
          : unit?.toLowerCase() === "nmol/l"
            ? "nmol/L"
            : null;
    if (!normalized) {
      this.unusable(
        "value",
        `${item.path}.valueQuantity.code`,
        `Unit ${unit === undefined ? "(none)" : `"${unit}"`} is not accepted for 25-hydroxyvitamin D: send ng/mL or nmol/L (UCUM).`,
      );
      return;
    }
    this.observations.push({
      observation: { kind: "vitaminD", effective, value: q.value, unit: normalized },
      sources: [item.path],
    });
  }

  private component(
    obs: FhirObservation,
    system: string,
    code: string,
  ): { component: ObservationComponent; index: number } | undefined {
    const list = Array.isArray(obs.component) ? obs.component : [];
    const index = list.findIndex((c) => codeIn(c.code, system) === code);
    return index >= 0 ? { component: list[index]!, index } : undefined;
  }

  private readFrax(item: LocatedResource): void {
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const pct = (code: string): number | undefined => {
      const found = this.component(obs, LOCAL.frax, code);
      if (!found) {
        this.unusable(
          "required",
          `${item.path}.component`,
          `FRAX needs a component ${LOCAL.frax}|${code}.`,
        );
        return undefined;
      }
      const q = quantityOf(found.component.valueQuantity);
      const path = `${item.path}.component[${found.index}].valueQuantity`;
      if (typeof q?.value !== "number") {
        this.unusable("required", `${path}.value`, `FRAX ${code} needs a numeric value.`);
        return undefined;
      }
      if (unitOf(q) !== "%") {
        this.unusable(
          "value",
          `${path}.code`,
          `FRAX ${code} must be in % (UCUM "%"), not "${unitOf(q) ?? "(none)"}".`,
        );
        return undefined;
      }
      return q.value;
    };
    const major = pct(FRAX_CODES.major);
    const hip = pct(FRAX_CODES.hip);
    const withBmdComponent = this.component(obs, LOCAL.frax, FRAX_CODES.withBmd);
    const withBmd = withBmdComponent ? booleanValue(withBmdComponent.component) : null;
    if (withBmd === null) {
      this.unusable(
        "required",
        `${item.path}.component`,
        `FRAX needs a component ${LOCAL.frax}|${FRAX_CODES.withBmd} (valueBoolean).`,
      );
      return;
    }
    if (major === undefined || hip === undefined) return;
    this.observations.push({
      observation: { kind: "frax", effective, majorOsteoporoticPct: major, hipPct: hip, withBmd },
      sources: [item.path],
    });
  }

  private readFalls(item: LocatedResource): void {
    const obs = item.resource as FhirObservation;
    const effective = this.dateOrIssue(item);
    if (!effective) return;
    const countComponent = this.component(obs, LOCAL.falls, FALLS_CODES.count);
    const count = countComponent ? integerValue(countComponent.component) : null;
    if (!count || "error" in count) {
      this.unusable(
        "required",
        `${item.path}.component`,
        `Falls needs a component ${LOCAL.falls}|${FALLS_CODES.count} with a whole number.`,
      );
      return;
    }
    const observation: Record<string, unknown> = {
      kind: "falls",
      effective,
      countPast12Months: count.value,
    };
    const flags = [
      ["injurious", FALLS_CODES.injurious],
      ["unsteady", FALLS_CODES.unsteady],
      ["worriedAboutFalling", FALLS_CODES.worried],
    ] as const;
    for (const [field, code] of flags) {
      const found = this.component(obs, LOCAL.falls, code);
      if (!found) continue;
      const value = booleanValue(found.component);
      if (value === null) {
        this.unusable(
          "value",
          `${item.path}.component[${found.index}]`,
          `Falls ${code} must be true or false.`,
        );
        return;
      }
      observation[field] = value;
    }
    this.observations.push({ observation, sources: [item.path] });
  }

  private readCondition(item: LocatedResource): void {
    const condition = item.resource as FhirCondition;
    const verification = codeIn(condition.verificationStatus, CONDITION_VERIFICATION);
    if (verification === "refuted" || verification === "entered-in-error") {
      this.issue(
        "information",
        "informational",
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
        this.issue("information", "informational", item.path, `Not used: ${unused}.`);
      } else if (this.options.mode === "import") {
        this.issue(
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
      this.unusable(
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
    this.observations.push({
      observation: { kind: "fracture", effective: date, site, fragility },
      sources: [item.path],
    });
  }

  private medicationConcept(item: LocatedResource): CodeableConcept | undefined {
    const med = item.resource as FhirMedicationRequest;
    if (isRecord(med.medicationCodeableConcept)) return med.medicationCodeableConcept;
    const target = this.resolve(med.medicationReference);
    if (target && isRecord(target.resource.code)) return target.resource.code;
    if (isRecord(med.medicationReference) && typeof med.medicationReference.display === "string") {
      return { text: med.medicationReference.display };
    }
    return undefined;
  }

  private readMedication(item: LocatedResource): void {
    const med = item.resource as FhirMedicationRequest;
    const status = med.status ?? "active";
    if (["entered-in-error", "cancelled", "draft", "not-taken", "unknown"].includes(status)) {
      this.issue(
        "information",
        "informational",
        `${item.path}.status`,
        `Skipped: medication status "${status}".`,
      );
      return;
    }
    const concept = this.medicationConcept(item);
    const classified = classifyMedication(concept);
    if (classified.status !== "ok") {
      const what = describeCodes(concept);
      this.unusable(
        "code-invalid",
        `${item.path}.medication[x]`,
        classified.status === "ambiguous"
          ? `Medication ${what} matches more than one class (${classified.classes.join(", ")}).`
          : `Medication ${what} is not one this service can classify.`,
      );
      return;
    }
    const period = extension(med, LOCAL.medicationPeriodExtension)?.valuePeriod;
    const statementPeriod = isRecord(med.effectivePeriod) ? med.effectivePeriod : undefined;
    const startedOn = dateOf(period?.start) ?? dateOf(statementPeriod?.start);
    const stoppedOn = dateOf(period?.end) ?? dateOf(statementPeriod?.end);
    const recorded =
      med.resourceType === "MedicationStatement"
        ? (dateOf(med.dateAsserted) ?? dateOf(med.effectiveDateTime) ?? startedOn)
        : dateOf(med.authoredOn);
    const active = !["completed", "stopped"].includes(status);
    if (!active && !stoppedOn) {
      if (this.options.mode === "import") {
        this.issue(
          "error",
          "required",
          `${item.path}.status`,
          `A ${status} medication needs its stop date (effectivePeriod.end or the ${LOCAL.medicationPeriodExtension} extension).`,
        );
      }
      return;
    }
    const observation: Record<string, unknown> = { kind: "medication", class: classified.cls };
    const effective = recorded ?? this.options.defaultMedicationDate;
    if (effective) observation.effective = effective;
    if (classified.name) observation.name = classified.name.slice(0, MAX_MEDICATION_NAME_LENGTH);
    if (startedOn) observation.startedOn = startedOn;
    if (stoppedOn) observation.stoppedOn = stoppedOn;
    if (classified.cls === "glucocorticoid" && classified.prednisoloneEquivalent) {
      const dose = dailyDoseMg(
        med.resourceType === "MedicationStatement" ? med.dosage : med.dosageInstruction,
      );
      if (dose.status === "ok") observation.prednisoloneMgPerDay = dose.mgPerDay;
      else if (dose.status === "unknown") {
        this.issue(
          "warning",
          "value",
          `${item.path}.dosageInstruction`,
          `The daily ${classified.name ?? "glucocorticoid"} dose could not be read (${dose.reason}); it is left out.`,
        );
      }
    }
    this.observations.push({ observation, sources: [item.path] });
  }
}

type MedicationClassification =
  | { status: "ok"; cls: MedicationClass; name?: string; prednisoloneEquivalent: boolean }
  | { status: "ambiguous"; classes: MedicationClass[] }
  | { status: "unknown" };

function wordsMatch(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^a-z])${escaped}([^a-z]|$)`).test(text);
}

/** Medication class by our class code, then RxNorm ingredient code, then name; never guessed. */
export function classifyMedication(concept: CodeableConcept | undefined): MedicationClassification {
  const local = codeIn(concept, LOCAL.medicationClass);
  const text = (isRecord(concept) && typeof concept.text === "string" ? concept.text : "").trim();
  const displays = codings(concept)
    .map((c) => c.display)
    .filter((d): d is string => typeof d === "string");
  const haystack = [text, ...displays].join(" | ").toLowerCase();
  const names = Object.keys(MEDICATION_NAMES).filter((n) => wordsMatch(haystack, n));
  const isPred = PREDNISOLONE_EQUIVALENT_NAMES.some((n) => wordsMatch(haystack, n));
  if (local && (MEDICATION_CLASSES as readonly string[]).includes(local)) {
    // Our own export writes a glucocorticoid dose as prednisolone-equivalent whatever the drug.
    return {
      status: "ok",
      cls: local as MedicationClass,
      ...(text ? { name: text } : {}),
      prednisoloneEquivalent: isPred || local === "glucocorticoid",
    };
  }
  for (const code of codesIn(concept, RXNORM)) {
    const known = RXNORM_INGREDIENTS[code];
    if (known) {
      return {
        status: "ok",
        cls: known.cls,
        name: text || known.name,
        prednisoloneEquivalent:
          (PREDNISOLONE_EQUIVALENT_NAMES as readonly string[]).includes(known.name) || isPred,
      };
    }
  }
  const classes = [...new Set(names.map((n) => MEDICATION_NAMES[n]!))];
  if (classes.length === 1) {
    return {
      status: "ok",
      cls: classes[0]!,
      name: text || displays[0] || names[0]!,
      prednisoloneEquivalent: isPred,
    };
  }
  if (classes.length > 1) return { status: "ambiguous", classes };
  return { status: "unknown" };
}

/** mg per day from a dose in mg and a timing (frequency per period in d or wk). */
function dailyDoseMg(
  dosages: unknown,
): { status: "ok"; mgPerDay: number } | { status: "none" } | { status: "unknown"; reason: string } {
  const dosage =
    Array.isArray(dosages) && isRecord(dosages[0])
      ? (dosages[0] as { doseAndRate?: unknown; timing?: unknown })
      : undefined;
  if (!dosage) return { status: "none" };
  const dose =
    Array.isArray(dosage.doseAndRate) && isRecord(dosage.doseAndRate[0])
      ? quantityOf(dosage.doseAndRate[0].doseQuantity)
      : undefined;
  if (typeof dose?.value !== "number") return { status: "none" };
  if (unitOf(dose) !== "mg")
    return { status: "unknown", reason: `dose unit "${unitOf(dose) ?? "(none)"}" is not mg` };
  const repeat =
    isRecord(dosage.timing) && isRecord(dosage.timing.repeat) ? dosage.timing.repeat : undefined;
  if (!repeat) return { status: "unknown", reason: "no timing" };
  const frequency = typeof repeat.frequency === "number" ? repeat.frequency : 1;
  const period = typeof repeat.period === "number" ? repeat.period : NaN;
  const days = repeat.periodUnit === "d" ? period : repeat.periodUnit === "wk" ? period * 7 : NaN;
  if (!(days > 0)) return { status: "unknown", reason: "timing is not per day or week" };
  const mgPerDay = (dose.value * frequency) / days;
  return mgPerDay > 0
    ? { status: "ok", mgPerDay: Math.round(mgPerDay * 1000) / 1000 }
    : { status: "none" };
}

/** Reads Observations, Conditions and medication resources into assess-contract observations. */
export function readClinicalResources(
  items: readonly LocatedResource[],
  options: ReadOptions,
): ReadResult {
  return new Reader(items, options).run();
}
