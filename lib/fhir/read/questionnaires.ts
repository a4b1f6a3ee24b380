import { LOCAL, LOINC, PHQ_DIFFICULTY_ANSWERS, PHQ_FORMS, PHQ_FREQUENCY_ANSWERS } from "../codes";
import type { FhirObservation, ObservationComponent, Resource } from "../types";
import { booleanValue, codeIn, codings, describeCodes, integerValue } from "../values";
import { classifyObservation, type PhqPart } from "./classify";
import { referenceKey, type LocatedResource, type ReadContext } from "./context";

/** The PHQ-9 or PHQ-2 answers gathered for one date, before they become one observation. */
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

function newGroup(kind: "phq9" | "phq2", effective: string, path: string): QuestionnaireGroup {
  return {
    kind,
    effective,
    items: Array<number | null>(9).fill(null),
    itemSources: Array<string | null>(9).fill(null),
    sources: [],
    path,
  };
}

/** A PHQ-9 or PHQ-2 panel with its members (hasMember) and any answers sent as components. */
export function readPhqPanel(
  ctx: ReadContext,
  item: LocatedResource,
  type: "phq9-panel" | "phq2-panel",
): void {
  ctx.consumed.add(item);
  const obs = item.resource as FhirObservation;
  const effective = ctx.dateOrIssue(item);
  if (!effective) return;
  const group = newGroup(type === "phq9-panel" ? "phq9" : "phq2", effective, item.path);
  group.sources.push(item.path);
  const members = Array.isArray(obs.hasMember) ? obs.hasMember : [];
  members.forEach((ref, index) => {
    const member = ctx.resolve(ref);
    if (!member) {
      ctx.issue(
        "warning",
        "not-found",
        `${item.path}.hasMember[${index}]`,
        `Panel member ${referenceKey(ref) ?? "(no reference)"} is not included; it was not read.`,
      );
      return;
    }
    if (member.resource.resourceType !== "Observation") return;
    ctx.consumed.add(member);
    if (!ctx.usableStatus(member, true)) return;
    const c = classifyObservation(member.resource as FhirObservation);
    if (c.type !== "phq") {
      ctx.unusable(
        "code-invalid",
        `${member.path}.code`,
        `Panel member code ${describeCodes((member.resource as FhirObservation).code)} is not a PHQ item or total.`,
      );
      return;
    }
    addPart(ctx, group, member, c.part);
  });
  // Panel components (some senders put the answers there instead of in members).
  (Array.isArray(obs.component) ? obs.component : []).forEach((component, index) => {
    const c = classifyObservation({ resourceType: "Observation", code: component.code });
    if (c.type !== "phq") return;
    addPart(
      ctx,
      group,
      { resource: component as unknown as Resource, path: `${item.path}.component[${index}]` },
      c.part,
    );
  });
  finishGroup(ctx, group);
}

/** PHQ items and totals sent without a panel: grouped by date, one questionnaire per date. */
export function readStandalonePhqParts(ctx: ReadContext, items: readonly LocatedResource[]): void {
  const groups = new Map<string, QuestionnaireGroup>();
  for (const item of items) {
    const c = classifyObservation(item.resource as FhirObservation);
    if (c.type !== "phq") continue;
    ctx.consumed.add(item);
    const effective = ctx.dateOrIssue(item);
    if (!effective) continue;
    let group = groups.get(effective);
    if (!group) {
      group = newGroup("phq9", effective, item.path);
      groups.set(effective, group);
    }
    addPart(ctx, group, item, c.part);
  }
  for (const group of groups.values()) {
    // Items 1–2 with a PHQ-2 total and nothing else of the PHQ-9 are a PHQ-2.
    const onlyFirstTwo = group.items.every((v, i) => i < 2 || v === null);
    if (group.phq2Total !== undefined && group.total === undefined && onlyFirstTwo) {
      group.kind = "phq2";
    }
    finishGroup(ctx, group);
  }
}

function addPart(
  ctx: ReadContext,
  group: QuestionnaireGroup,
  item: LocatedResource,
  part: PhqPart,
): void {
  const source = item.resource as FhirObservation | ObservationComponent;
  group.sources.push(item.path);
  switch (part.type) {
    case "item": {
      const value = phqAnswer(ctx, source, item.path, PHQ_FREQUENCY_ANSWERS, "PHQ item");
      if (value === undefined) return;
      if (group.itemSources[part.index] !== null) {
        ctx.unusable(
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
      const value = phqAnswer(ctx, source, item.path, PHQ_DIFFICULTY_ANSWERS, "PHQ difficulty");
      if (value !== undefined) group.difficulty = value;
      return;
    }
    case "phq9-total":
    case "phq2-total": {
      const read = integerValue(source);
      if (!read) {
        ctx.unusable("required", `${item.path}.value[x]`, "The total score has no value.");
        return;
      }
      if ("error" in read) {
        ctx.unusable("value", `${item.path}.${read.field}`, `The total score ${read.error}.`);
        return;
      }
      if (part.type === "phq9-total") group.total = read.value;
      else group.phq2Total = read.value;
      return;
    }
  }
}

/** A 0–3 answer: a LOINC answer code, or the number itself. */
function phqAnswer(
  ctx: ReadContext,
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
    ctx.unusable(
      "code-invalid",
      `${path}.valueCodeableConcept`,
      `${what} answer ${describeCodes(source.valueCodeableConcept)} is not a known LOINC answer code (expected one of ${Object.keys(answers).join(", ")}).`,
    );
    return undefined;
  }
  const read = integerValue(source);
  if (!read) {
    ctx.unusable("required", `${path}.value[x]`, `${what} has no answer.`);
    return undefined;
  }
  if ("error" in read || read.value < 0 || read.value > 3) {
    ctx.unusable(
      "value",
      `${path}.${read.field}`,
      `${what} answer must be a whole number from 0 to 3.`,
    );
    return undefined;
  }
  return read.value;
}

/** Checks a group (items against total, no prorating) and maps it to one observation. */
function finishGroup(ctx: ReadContext, group: QuestionnaireGroup): void {
  const count = group.kind === "phq9" ? 9 : 2;
  const { name } = PHQ_FORMS[group.kind];
  const items = group.items.slice(0, count);
  const answered = items.filter((v) => v !== null).length;
  const total = group.kind === "phq9" ? group.total : (group.phq2Total ?? group.total);
  if (group.kind === "phq2" && group.items.slice(2).some((v) => v !== null)) {
    ctx.unusable("business-rule", group.path, "A PHQ-2 panel holds items 1 and 2 only.");
    return;
  }
  if (answered === 0 && total === undefined) {
    if (group.difficulty === undefined) return;
    ctx.unusable(
      "required",
      group.path,
      "A PHQ-9 difficulty answer was given without items or a total.",
    );
    return;
  }
  const observation: Record<string, unknown> = { kind: group.kind, effective: group.effective };
  if (answered > 0) {
    if (total !== undefined && answered < count) {
      ctx.unusable(
        "business-rule",
        group.path,
        `A ${name} total of ${total} came with only ${answered} of ${count} items: send every item or the total alone (no prorating).`,
      );
      return;
    }
    observation.items = items;
  }
  if (total !== undefined) {
    const sum = answered === count ? items.reduce<number>((s, v) => s + (v ?? 0), 0) : null;
    if (sum !== null && sum !== total) {
      ctx.unusable(
        "business-rule",
        group.path,
        `The ${name} total ${total} does not match its items, which score ${sum}.`,
      );
      return;
    }
    observation.total = total;
  }
  if (group.kind === "phq9" && group.difficulty !== undefined) {
    observation.difficulty = group.difficulty;
  }
  ctx.observations.push({ observation, sources: group.sources });
}

/** A GDS-15: a total, yes/no answers as components (item-1 … item-15), or both. */
export function readGds15(ctx: ReadContext, item: LocatedResource): void {
  const obs = item.resource as FhirObservation;
  const effective = ctx.dateOrIssue(item);
  if (!effective) return;
  const observation: Record<string, unknown> = { kind: "gds15", effective };
  const answers: (string | null)[] = Array<string | null>(15).fill(null);
  let any = false;
  (Array.isArray(obs.component) ? obs.component : []).forEach((component, index) => {
    const code = codeIn(component.code, LOCAL.gds15);
    const match = /^item-(\d{1,2})$/.exec(code ?? "");
    const n = match ? Number(match[1]) : NaN;
    if (!match || n < 1 || n > 15) {
      ctx.unusable(
        "code-invalid",
        `${item.path}.component[${index}].code`,
        `GDS-15 component ${describeCodes(component.code)} is not item-1 … item-15 of ${LOCAL.gds15}.`,
      );
      return;
    }
    const value = booleanValue(component);
    if (value === null) {
      ctx.unusable(
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
    ctx.unusable("value", `${item.path}.${read.field}`, `The GDS-15 total ${read.error}.`);
    return;
  }
  if (read) {
    if (any && answers.some((a) => a === null)) {
      ctx.unusable(
        "business-rule",
        item.path,
        "A GDS-15 total came with unanswered items (no prorating).",
      );
      return;
    }
    observation.total = read.value;
  }
  if (!any && !read) {
    ctx.unusable(
      "required",
      `${item.path}.value[x]`,
      "The GDS-15 has neither a total nor answers.",
    );
    return;
  }
  ctx.consumed.add(item);
  ctx.observations.push({ observation, sources: [item.path] });
}
