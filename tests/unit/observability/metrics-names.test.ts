import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { metrics } from "@/lib/server/observability/metrics";

/*
 * The rules `promtool check metrics` applies to the exposition (Prometheus naming conventions),
 * checked on our registry so a new metric cannot break a hospital's scrape lint, and each metric
 * listed in docs/OPERATIONS.md for the people who write the alerts.
 */
describe("metrics", () => {
  it("follow the Prometheus naming rules and are documented", async () => {
    const { registry } = metrics();
    const families = await registry.getMetricsAsJSON();
    const text = await registry.metrics();
    const operations = fs.readFileSync(
      path.resolve(import.meta.dirname, "../../../docs/OPERATIONS.md"),
      "utf8",
    );
    expect(families.length).toBeGreaterThan(5);
    for (const family of families) {
      const { name, help, type } = family;
      expect(name, name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(help.trim().length, `${name} has help`).toBeGreaterThan(0);
      if (String(type) === "counter") expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      if (String(type) === "histogram") expect(name).toMatch(/_(seconds|bytes)$/);
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${String(type)}`);
      expect(operations, `${name} in docs/OPERATIONS.md`).toContain(`\`${name}{`);
    }
  });
});
