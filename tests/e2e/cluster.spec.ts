import fs from "node:fs";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { credentialsSignIn } from "./pages/api";
import { createEmptyPostgresDatabase } from "../support/db";
import { childPids } from "../support/proc";
import { startServer, stopServer } from "./support/server-process";

/**
 * WEB_CONCURRENCY: on PostgreSQL the server runs that many processes on one port. A
 * session made on one is honoured by the others (nothing lives in process memory), a write made
 * through one is read through another, and SIGTERM stops them all. PostgreSQL only (the embedded
 * database allows one process): runs when TEST_DATABASE_URL is set.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 50;

test.skip(!process.env.TEST_DATABASE_URL, "needs TEST_DATABASE_URL (PostgreSQL)");

test("two server processes share sessions and data, and stop together", async () => {
  test.setTimeout(180_000);
  const database = await createEmptyPostgresDatabase();
  const server = await startServer(PORT, {
    E2E_DATABASE_URL: database.url,
    WEB_CONCURRENCY: "2",
  });
  try {
    await expect.poll(() => server.output()).toContain("2 server processes (WEB_CONCURRENCY)");
    const workers = childPids(server.child.pid!);
    expect(workers).toHaveLength(2);

    const api = await playwrightRequest.newContext({ baseURL: server.url });
    await credentialsSignIn(api, "clinician@example.org");
    const cookie = (await api.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    await api.dispose();
    // A new connection per request: the cluster hands connections to its processes in turn.
    const get = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { cookie, connection: "close" } });

    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get("/api/v1/patients?limit=1")).status);
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));

    const patient = (
      (await (await get("/api/v1/patients?limit=1")).json()) as { items: { id: string }[] }
    ).items[0]!;
    const written = await fetch(`${server.url}/api/v1/patients/${patient.id}/visits`, {
      method: "POST",
      headers: { cookie, connection: "close", "content-type": "application/json" },
      body: JSON.stringify({
        occurredOn: new Date().toISOString().slice(0, 10),
        observations: [{ kind: "vitaminD", value: 17, unit: "ng/mL" }],
      }),
    });
    expect(written.status).toBe(201);
    const visitId = ((await written.json()) as { visit: { id: string } }).visit.id;
    // Read back through several connections (both processes): every one sees the visit.
    for (let i = 0; i < 4; i++) {
      const obs = (await (await get(`/api/v1/patients/${patient.id}/observations`)).json()) as {
        items: { visitId: string | null }[];
      };
      expect(obs.items.some((o) => o.visitId === visitId)).toBe(true);
    }

    const exited = new Promise<number | null>((resolve) =>
      server.child.once("exit", (code) => resolve(code)),
    );
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  } finally {
    await stopServer(server);
    await database.drop();
  }
});
