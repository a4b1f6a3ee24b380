import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { killHard, startServer, stopServer } from "./support/server-process";
import { createPostgresDatabase } from "../support/pg-database";

/**
 * Crash safety and concurrent writes: a stream of visit writes, SIGKILL in the middle,
 * restart on the same data; every write that got a 201 is there, no visit is half written, and
 * the embedded data directory opens cleanly. Then 20 simultaneous visits for one patient and 20
 * simultaneous updates of one flag: no duplicate unresolved flag, patient_state consistent, every
 * conflict a 409 and none a 500. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
const BASE_PORT = Number(process.env.E2E_PORT ?? 3100) + 40;

type Backend = {
  name: string;
  env: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
};

const backends: Backend[] = [
  {
    name: "PGlite",
    env: () =>
      Promise.resolve({
        env: { E2E_DATA_DIR: `.data/e2e-crash-${BASE_PORT}` },
        cleanup: () => Promise.resolve(),
      }),
  },
];
if (process.env.TEST_DATABASE_URL) {
  backends.push({
    name: "PostgreSQL",
    env: async () => {
      const base = process.env.TEST_DATABASE_URL!;
      const name = `${new URL(base).pathname.slice(1)}_crash_${Date.now().toString(36)}`;
      const database = await createPostgresDatabase(base, name);
      return { env: { E2E_DATABASE_URL: database.url }, cleanup: database.drop };
    },
  });
}

async function signedIn(baseURL: string, email: string): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  await credentialsSignIn(ctx, email);
  return ctx;
}

for (const [index, backend] of backends.entries()) {
  test(`writes that got a 201 survive SIGKILL, and concurrent writes stay consistent (${backend.name})`, async () => {
    test.setTimeout(240_000);
    const port = BASE_PORT + index;
    const { env, cleanup } = await backend.env();
    let server = await startServer(port, env);
    try {
      let api = await signedIn(server.url, "clinician@example.org");
      // A new patient, so every visit it has is one this test wrote.
      const list = (await (await api.get("/api/v1/patients?limit=1")).json()) as {
        items: { siteId: string }[];
      };
      const created = await api.post("/api/v1/patients", {
        data: {
          siteId: list.items[0]!.siteId,
          mrn: `CRASH-${Date.now()}`,
          givenName: "Crash",
          familyName: "Test",
          birthDate: "1950-05-05",
          sex: "female",
          postmenopausal: true,
        },
      });
      expect(created.status()).toBe(201);
      const patientId = ((await created.json()) as { id: string }).id;

      // A stream of writes, four at a time; the server is killed while they are in flight.
      const acknowledged = new Set<string>();
      let stop = false;
      let sent = 0;
      const writer = async (w: number) => {
        while (!stop) {
          const n = sent++;
          try {
            const res = await api.post(`/api/v1/patients/${patientId}/visits`, {
              data: {
                occurredOn: "2026-11-20",
                observations: [
                  { kind: "phq9", items: [1, 1, 1, 1, 1, 1, 1, (n + w) % 4, 0] },
                  { kind: "vitaminD", value: 20 + (n % 30), unit: "ng/mL" },
                ],
              },
              timeout: 10_000,
            });
            if (res.status() === 201)
              acknowledged.add(((await res.json()) as { visit: { id: string } }).visit.id);
          } catch {
            // the connection died with the server: not acknowledged
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      while (acknowledged.size < 12) await new Promise((r) => setTimeout(r, 50));
      await killHard(server);
      stop = true;
      await Promise.all(writers);
      await api.dispose();
      expect(acknowledged.size).toBeGreaterThanOrEqual(12);

      server = await startServer(port, { ...env, E2E_KEEP_DATA: "1" });
      api = await signedIn(server.url, "clinician@example.org");
      const obs = (await (
        await api.get(`/api/v1/patients/${patientId}/observations?includeRetracted=true`)
      ).json()) as {
        items: { visitId: string | null }[];
      };
      const perVisit = new Map<string, number>();
      for (const o of obs.items)
        if (o.visitId) perVisit.set(o.visitId, (perVisit.get(o.visitId) ?? 0) + 1);
      for (const id of acknowledged) expect(perVisit.get(id), `acknowledged visit ${id}`).toBe(2);
      // No half-written visit: every visit of this patient has both of its observations.
      const broken = [...perVisit.entries()].filter(([, count]) => count !== 2);
      expect(broken).toEqual([]);
      expect(perVisit.size).toBeGreaterThanOrEqual(acknowledged.size);

      // 20 simultaneous visits for one patient.
      const visits = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post(`/api/v1/patients/${patientId}/visits`, {
            data: {
              occurredOn: "2026-11-21",
              observations: [{ kind: "phq9", items: [2, 2, 2, 2, i % 3, 1, 1, 1, 0] }],
            },
          }),
        ),
      );
      expect(visits.map((r) => r.status()).filter((s) => s !== 201)).toEqual([]);
      const detail = (await (await api.get(`/api/v1/patients/${patientId}`)).json()) as {
        openFlags: { id: string; code: string; version: number }[];
        latestAssessment: { priority: string; flags: { code: string }[] };
      };
      const codes = detail.openFlags.map((f) => f.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const f of detail.latestAssessment.flags) expect(codes).toContain(f.code);
      const worklistApi = await signedIn(server.url, "care@example.org");
      const state = (await (
        await worklistApi.get(`/api/v1/worklist?limit=100&status=all`)
      ).json()) as {
        items: { patientId: string; priority: string }[];
      };
      const row = state.items.find((i) => i.patientId === patientId);
      if (row && !codes.includes("safety.suicide-risk"))
        expect(row.priority).toBe(detail.latestAssessment.priority);

      // 20 simultaneous updates of one flag with the same version: one wins, the rest are 409.
      const flag =
        detail.openFlags.find((f) => f.code !== "safety.suicide-risk") ?? detail.openFlags[0]!;
      const updates = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          worklistApi.patch(`/api/v1/flags/${flag.id}`, {
            data: { action: "note", version: flag.version, note: `note ${i}` },
          }),
        ),
      );
      const statuses = updates.map((r) => r.status());
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      await worklistApi.dispose();
      await api.dispose();
    } finally {
      await stopServer(server).catch(() => undefined);
      await cleanup();
    }
  });
}
