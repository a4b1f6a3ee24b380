import fs from "node:fs";
import path from "node:path";
import { request, type FullConfig } from "@playwright/test";
import { credentialsSignIn } from "../pages/api";
import { formatProblems, identifierProblems, type Patient } from "./server-log-rules";

/**
 * Global teardown of the e2e run, while its server still runs: the server's whole output
 * (scripts/e2e-server-logged.ts) is JSON once the server listens, every request has its access
 * line with a request id, and no MRN, name or birth date of any patient in the database (the
 * seeded ones and those the specs created) appears anywhere in it.
 */
export default async function checkServerLog(config: FullConfig): Promise<void> {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
  const file = path.join(root, "test-results", `port-${port}`, "server.log");
  if (!fs.existsSync(file)) {
    console.warn(`server log check: no ${file} (the server did not start)`);
    return;
  }
  const patients = await allPatients(`http://localhost:${port}`);
  const output = fs.readFileSync(file, "utf8");
  const problems = [...formatProblems(output), ...identifierProblems(output, patients)];
  if (problems.length > 0)
    throw new Error(`The e2e server's log (${file}):\n- ${problems.slice(0, 20).join("\n- ")}`);
  console.log(
    `server log check: ${output.split("\n").length} lines, no identifier of ${patients.length} patients`,
  );
}

/** Every patient, page by page, as a user who sees all sites (one that the specs left unlocked). */
async function allPatients(baseURL: string): Promise<Patient[]> {
  for (const email of ["clinician@example.org", "care@example.org"]) {
    const api = await request.newContext({ baseURL });
    try {
      await credentialsSignIn(api, email);
    } catch {
      await api.dispose();
      continue;
    }
    const patients: Patient[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await api.get(`/api/v1/patients?limit=100${query}`);
      if (!res.ok()) throw new Error(`patient list: ${res.status()}`);
      const page = (await res.json()) as { items: Patient[]; nextCursor: string | null };
      patients.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    await api.dispose();
    return patients;
  }
  return [];
}
