import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const EXAMPLE = path.join(ROOT, "tests/fixtures/assess-input.json");

function run(
  args: string[],
  stdin?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("npx", ["tsx", "scripts/assess.ts", ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/assess.ts", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "assess-cli-"));

  it("prints the assessment of the example and exits 0", () => {
    const { status, stdout } = run([EXAMPLE]);
    expect(status).toBe(0);
    const assessment = JSON.parse(stdout) as { priority: string; flags: { code: string }[] };
    expect(assessment.priority).toBe("high");
    expect(assessment.flags.map((f) => f.code)).toContain("bone.severe-osteoporosis");
  });

  it("reads stdin with -", () => {
    const { status, stdout } = run(["-"], readFileSync(EXAMPLE, "utf8"));
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { asOf: string }).asOf).toBe("2026-11-26");
  });

  it("prints errors and exits 2 on invalid input", () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        asOf: "2026-02-30",
        patient: { birthDate: "1950-01-01", sex: "female" },
        observations: [],
      }),
    );
    const { status, stdout } = run([file]);
    expect(status).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      errors: [{ path: "asOf", message: "must be a real calendar date written YYYY-MM-DD" }],
    });
  });

  it("exits 2 on unparseable JSON and on an unreadable file", () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    const broken = run([file]);
    expect(broken.status).toBe(2);
    expect((JSON.parse(broken.stdout) as { errors: unknown[] }).errors).toHaveLength(1);
    const missing = run([path.join(dir, "missing.json")]);
    expect(missing.status).toBe(2);
    expect(
      (JSON.parse(missing.stdout) as { errors: { message: string }[] }).errors[0]?.message,
    ).toMatch(/cannot read/);
  });

  it("exits 2 with usage on stderr without an argument", () => {
    const { status, stdout, stderr } = run([]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/usage/);
  });
});
