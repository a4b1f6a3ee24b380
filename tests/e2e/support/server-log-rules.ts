/*
 * What the e2e run's server log must satisfy (checked by server-log-check.ts at the end of the run;
 * plain functions, so unit tests can show that they catch what they are for).
 */

export interface Patient {
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

const ACCESS_FIELDS = {
  reqId: "string",
  method: "string",
  route: "string",
  status: "number",
  ms: "number",
};

/** Lines after the first JSON line must be JSON; access lines carry their fields. */
export function formatProblems(output: string): string[] {
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  const first = lines.findIndex((line) => line.startsWith("{"));
  if (first === -1) return ["no JSON log line at all"];
  const problems: string[] = [];
  let access = 0;
  lines.slice(first).forEach((line, i) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      problems.push(`line ${first + i + 1} is not JSON: ${line.slice(0, 120)}`);
      return;
    }
    if (record.msg !== "request") return;
    access += 1;
    for (const [field, type] of Object.entries(ACCESS_FIELDS))
      if (typeof record[field] !== type)
        problems.push(`access line ${first + i + 1} has no ${type} ${field}`);
  });
  if (access === 0) problems.push("no access line");
  return problems;
}

/** Whole-word, case-sensitive matches of each patient's identifiers. */
export function identifierProblems(output: string, patients: Patient[]): string[] {
  const problems: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const p of patients)
    for (const [field, value] of Object.entries({
      mrn: p.mrn,
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
    })) {
      if (value.trim().length < 2) continue;
      if (new RegExp(`(^|[^\\p{L}\\p{N}])${escape(value)}($|[^\\p{L}\\p{N}])`, "u").test(output))
        problems.push(`a patient's ${field} appears`);
    }
  if (patients.length === 0) problems.push("no patients to look for (the list could not be read)");
  return problems;
}
