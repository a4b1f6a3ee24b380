// npm test — lint, format, typecheck, unit, integration (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set), and e2e in Chromium when one is found. Prints one closing line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

interface StepResult {
  name: string;
  ok: boolean;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  note?: string;
}

const results: StepResult[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-test-report-"));
const bin = (name: string) => path.join("node_modules", ".bin", name);

function run(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): { ok: boolean; seconds: number } {
  console.log(`\n━━ ${name} ━━ ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const res = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  return { ok: res.status === 0, seconds: (Date.now() - started) / 1000 };
}

function check(name: string, command: string, args: string[]): void {
  const r = run(name, command, args);
  results.push({
    name,
    ok: r.ok,
    passed: r.ok ? 1 : 0,
    failed: r.ok ? 0 : 1,
    skipped: 0,
    seconds: r.seconds,
  });
}

function vitest(name: string, projects: string[], env: Record<string, string> = {}): void {
  const out = path.join(tmp, `${name}.json`);
  const args = [
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}`,
  ];
  const r = run(name, bin("vitest"), args, env);
  let passed = 0,
    failed = r.ok ? 0 : 1,
    skipped = 0;
  try {
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    passed = report.numPassedTests;
    failed = Math.max(report.numFailedTests, r.ok ? 0 : 1);
    skipped = report.numPendingTests + report.numTodoTests;
  } catch {
    // no report: the run crashed; counted as one failure
  }
  results.push({ name, ok: r.ok, passed, failed, skipped, seconds: r.seconds });
}

function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH)
    return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const cache = path.join(os.homedir(), ".cache", "ms-playwright");
  return fs.existsSync(cache) && fs.readdirSync(cache).some((d) => d.startsWith("chromium"))
    ? "playwright"
    : null;
}

function e2e(): void {
  const chromium = findChromium();
  if (!chromium) {
    console.log(
      "\n━━ e2e ━━ SKIPPED: no Chromium found. Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH.",
    );
    results.push({
      name: "e2e",
      ok: true,
      passed: 0,
      failed: 0,
      skipped: 1,
      seconds: 0,
      note: "skipped: no Chromium",
    });
    return;
  }
  const out = path.join(tmp, "e2e.json");
  const r = run("e2e", bin("playwright"), ["test"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    ...(chromium !== "playwright" ? { CHROMIUM_PATH: chromium } : {}),
  });
  let passed = 0,
    failed = r.ok ? 0 : 1,
    skipped = 0;
  try {
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      stats: { expected: number; unexpected: number; skipped: number; flaky: number };
    };
    passed = report.stats.expected + report.stats.flaky;
    failed = Math.max(report.stats.unexpected, r.ok ? 0 : 1);
    skipped = report.stats.skipped;
  } catch {
    // no report: counted as one failure
  }
  results.push({ name: "e2e", ok: r.ok, passed, failed, skipped, seconds: r.seconds });
}

const only = process.argv.slice(2);
const want = (step: string) => only.length === 0 || only.includes(step);

if (want("lint")) check("lint", bin("eslint"), ["--max-warnings", "0", "."]);
if (want("format")) check("format", bin("prettier"), ["--check", "."]);
if (want("openapi")) check("openapi", bin("tsx"), ["scripts/openapi-lint.ts"]);
// Route types in .next are generated first: stale ones (after a route moved) would fail tsc.
if (want("typecheck"))
  check("typecheck", "sh", [
    "-c",
    `${bin("next")} typegen >/dev/null && ${bin("tsc")} --noEmit -p .`,
  ]);
if (want("unit")) vitest("unit", ["unit"]);
if (want("integration")) {
  vitest(
    "integration",
    process.env.TEST_DATABASE_URL ? ["integration", "integration-pg"] : ["integration"],
  );
  if (!process.env.TEST_DATABASE_URL)
    console.log("(PostgreSQL integration run skipped: set TEST_DATABASE_URL to include it.)");
}
if (want("e2e")) e2e();

console.log("\n━━ summary ━━");
for (const r of results) {
  console.log(
    `${r.ok ? "✔" : "✖"} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s${r.note ? `  (${r.note})` : ""}`,
  );
}
const total = results.reduce(
  (a, r) => ({
    passed: a.passed + r.passed,
    failed: a.failed + r.failed,
    skipped: a.skipped + r.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
