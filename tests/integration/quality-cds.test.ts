import { describe, expect, it } from "vitest";
import { cdsCards, cdsFeedback } from "@/db/schema";
import { qualityMetricsQuerySchema } from "@/lib/api/quality";
import { RULESET_VERSION } from "@/lib/clinical";
import { getQualityMetrics } from "@/lib/server/quality";
import { testDatabasePerFile } from "../support/db";
import { makeUser, makeWorld } from "../support/fixtures";

const t = testDatabasePerFile();

describe("rule performance counts CDS Hooks feedback", () => {
  it("adds accepted and overridden card feedback per flag code and ruleset, with the small-cell rule", async () => {
    const world = await makeWorld(t.db);
    const quality = await makeUser(t.db, "quality", [world.siteId]);
    const cards = Array.from({ length: 14 }, (_, i) => ({
      uuid: `card-${i}`,
      serviceId: "bone-brain-axis",
      flagCode: "depression.positive",
      rulesetVersion: RULESET_VERSION,
      patientId: world.patientId,
    }));
    await t.db.insert(cdsCards).values(cards);
    await t.db.insert(cdsFeedback).values(
      cards.map((c, i) => ({
        serviceId: "bone-brain-axis",
        cardUuid: c.uuid,
        outcome: i < 12 ? "accepted" : "overridden",
        acceptedSuggestions: i < 12 ? [{ id: `suggestion-${i}` }] : null,
        outcomeTimestamp: new Date("2026-11-10T12:00:00Z"),
        flagCode: c.flagCode,
        rulesetVersion: c.rulesetVersion,
      })),
    );
    const result = await getQualityMetrics(
      { db: t.db, actor: quality },
      qualityMetricsQuerySchema.parse({ from: "2026-01-01", to: "2026-11-26" }),
      new Date("2026-11-26T12:00:00Z"),
    );
    const metric = result.metrics.find((m) => m.id === "rule-performance")!;
    expect(metric.countKeys?.map((k) => k.key)).toEqual(
      expect.arrayContaining(["cds-accepted", "cds-overridden", "cds-suggestions-accepted"]),
    );
    const group = metric.groups?.find((g) => g.key === `depression.positive@${RULESET_VERSION}`);
    expect(group?.counts?.["cds-accepted"]).toBe(12);
    expect(group?.counts?.["cds-overridden"]).toBe("<11");
    expect(group?.counts?.["cds-suggestions-accepted"]).toBe(12);
    // Another site's user sees none of it.
    const other = await makeWorld(t.db);
    const otherQuality = await makeUser(t.db, "quality", [other.siteId]);
    const theirs = await getQualityMetrics(
      { db: t.db, actor: otherQuality },
      qualityMetricsQuerySchema.parse({ from: "2026-01-01", to: "2026-11-26" }),
      new Date("2026-11-26T12:00:00Z"),
    );
    const none = theirs.metrics
      .find((m) => m.id === "rule-performance")!
      .groups?.find((g) => g.key === `depression.positive@${RULESET_VERSION}`);
    expect(none?.counts?.["cds-accepted"] ?? 0).toBe(0);
  });
});
