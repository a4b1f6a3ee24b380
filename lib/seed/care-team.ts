import type { FlagAction } from "@/lib/api/worklist";
import { addDays } from "@/lib/server/dates";
import { createRandom, hashSeed } from "./random";

/** One step of the care team's seeded work on a flag, at a time between its opening and `today`. */
export type CareTeamStep =
  | { action: "acknowledge"; at: Date }
  | { action: "assign"; at: Date }
  | {
      action: "resolve";
      at: Date;
      reason: "treated" | "referred" | "patient-declined" | "not-clinically-relevant";
    }
  | { action: "snooze"; at: Date; until: string; reason: string }
  | { action: "note"; at: Date; note: string };

/**
 * What the care team did with one seeded flag that was still open and unacknowledged after the
 * history was recorded: most critical flags acknowledged within a day; about half the others
 * acknowledged within two weeks, some of them assigned, resolved, snoozed or noted. Each flag draws
 * from its own generator (seeded by patient MRN, code and opening time), so the result does not
 * depend on the order in which flags are visited: the use-case seed (`seedCareTeamWork`) and the
 * bulk seed give every flag the same steps.
 */
export function careTeamSteps(
  flag: { mrn: string; code: string; severity: string; openedAt: Date },
  today: string,
): CareTeamStep[] {
  const random = createRandom(hashSeed(`${flag.mrn}|${flag.code}|${flag.openedAt.toISOString()}`));
  const critical = flag.severity === "critical";
  if (!(critical ? random() < 0.85 : random() < 0.55)) return [];
  const end = new Date(`${today}T18:00:00Z`).getTime();
  const at = (from: Date, days: number) =>
    new Date(Math.min(end, from.getTime() + days * 86_400_000));
  const ackAt = at(flag.openedAt, critical ? random() * 1.5 : random() * 14);
  const steps: CareTeamStep[] = [{ action: "acknowledge", at: ackAt }];
  if (random() < 0.4) steps.push({ action: "assign", at: at(ackAt, 0.1) });
  const r = random();
  const later = at(ackAt, 5 + random() * 60);
  if (later.getTime() >= end) return steps;
  if (r < 0.45) {
    const reason = (
      ["treated", "referred", "treated", "patient-declined", "not-clinically-relevant"] as const
    )[Math.floor(random() * 5)]!;
    steps.push({ action: "resolve", at: later, reason });
  } else if (r < 0.55 && !critical) {
    steps.push({
      action: "snooze",
      at: new Date(end - 86_400_000),
      until: addDays(today, 14 + Math.floor(random() * 60)),
      reason: "Follow-up booked",
    });
  } else if (r < 0.75) {
    steps.push({
      action: "note",
      at: later,
      note: "Discussed at the team meeting; plan agreed.",
    });
  }
  return steps;
}

/** A seeded care-team step as the worklist's flag action on the flag at `version`. */
export function careTeamAction(step: CareTeamStep, version: number): FlagAction {
  switch (step.action) {
    case "acknowledge":
      return { action: "acknowledge", version };
    case "assign":
      return { action: "assign", version, assigneeId: "me" };
    case "resolve":
      return { action: "resolve", version, reason: step.reason };
    case "snooze":
      return { action: "snooze", version, until: step.until, reason: step.reason };
    case "note":
      return { action: "note", version, note: step.note };
  }
}
