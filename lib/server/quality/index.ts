import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "@/db/client";
import { exportFileName } from "@/lib/api/csv-download";
import { AppError } from "@/lib/api/errors";
import {
  resolveQualityFilters,
  type QualityFilters,
  type QualityMetricId,
  type QualityMetricsQuery,
  type QualityMetricsResponse,
  type QualitySite,
} from "@/lib/api/quality";
import { recordAudit } from "../audit";
import { cdsFeedbackCounts } from "../cds";
import type { Ctx } from "../context";
import { todayIso } from "../dates";
import { cachedOrComputed } from "./cache";
import { metricToCsv } from "./csv";
import { buildMetrics } from "./metrics";
import { addCdsFeedback } from "./rule-performance";
import { isLandingView, landingStaleSeconds } from "./warm";
import { num, SMALL_CELL_THRESHOLD, SUPPRESSION_POLICY, suppressCount } from "./suppression";

/*
 * De-identified aggregate quality metrics of the actor's sites: screening coverage, prevalence,
 * time to action, fracture liaison KPIs, depression outcomes, rule performance and a
 * depression × bone cross-tab, each with its definition; small cells suppressed. The use-cases
 * and everything other code imports from the quality metrics.
 */

export { csvCell, toCsv } from "../csv";
export { trimQualityCache } from "./cache";
export { startQualityWarmer, warmQualityOnce } from "./warm";
export { SCREEN_KINDS, coverageQuery } from "./coverage";
export { metricToCsv } from "./csv";
export { QUALITY_WINDOWS, cohortCte, monthsOfPeriod, periodRefs } from "./periods";
export { PREVALENCE, prevalenceBits, prevalenceQuery } from "./prevalence";
export { rulePerformanceQuery } from "./rule-performance";
export {
  SMALL_CELL_THRESHOLD,
  SUPPRESSION_POLICY,
  percent,
  protectPartition,
  publishRate,
  suppressCount,
  type PublishedRate,
  type RawCount,
} from "./suppression";
export { timeToActionQuery } from "./time-to-action";

async function sitesOf(db: Db | Tx, siteIds: readonly string[]): Promise<QualitySite[]> {
  if (siteIds.length === 0) return [];
  return queryRows<QualitySite & Record<string, unknown>>(
    db,
    sql`select id::text as id, code, name from sites
        where id in (${sql.join(
          siteIds.map((s) => sql`${s}::uuid`),
          sql`, `,
        )})
        order by name`,
  );
}

/** The sites the actor may filter by (their own). */
export async function listQualitySites(ctx: Ctx): Promise<QualitySite[]> {
  return sitesOf(ctx.db, ctx.actor.siteIds);
}

/** Site ids the query may cover: the chosen site (403 if not the actor's), else all theirs. */
function scopeSites(ctx: Ctx, filters: QualityFilters): string[] {
  // Sorted: the cache key covers the order, and the warm landing views list sites by id.
  if (filters.site === null) return [...ctx.actor.siteIds].sort();
  if (!ctx.actor.siteIds.includes(filters.site)) {
    throw new AppError("forbidden", "You can see quality metrics of your own sites only.", {
      errors: [{ path: "site", message: "Not one of your sites" }],
    });
  }
  return [filters.site];
}

/** The metrics of a request, from the cache while it equals a new computation. */
async function computeMetrics(
  ctx: Ctx,
  filters: QualityFilters,
  now: Date,
): Promise<QualityMetricsResponse> {
  const siteIds = scopeSites(ctx, filters);
  // Side by side: each is one round trip, and the landing view is asked during clinic hours.
  const [{ data, computedAt, readFrom }, sites, feedback] = await Promise.all([
    cachedOrComputed(ctx.db, filters, siteIds, now, {
      staleForSeconds: isLandingView(filters, todayIso(now)) ? landingStaleSeconds() : 0,
    }),
    sitesOf(ctx.db, ctx.actor.siteIds),
    cdsFeedbackCounts(ctx, { from: filters.from, to: filters.to, siteIds }),
  ]);
  const patientsInScope = num(data.scope[0]?.n);
  const result: QualityMetricsResponse = {
    generatedAt: now.toISOString(),
    computedAt,
    filters,
    sites,
    smallCellThreshold: SMALL_CELL_THRESHOLD,
    suppression: SUPPRESSION_POLICY,
    patientsInScope: suppressCount({ n: patientsInScope }),
    empty: patientsInScope === 0,
    metrics: buildMetrics(filters, data),
    readFrom,
  };
  addCdsFeedback(result, feedback);
  return result;
}

/** Audits a request refused because its site is not one of the actor's, then rethrows. */
async function auditDenied(
  ctx: Ctx,
  action: "quality.metrics" | "quality.export",
  detail: Record<string, unknown>,
  error: unknown,
): Promise<never> {
  if (error instanceof AppError && error.kind === "forbidden") {
    await recordAudit(ctx.db, ctx.actor, {
      action,
      outcome: "denied",
      entityType: "quality",
      detail: { ...detail, reason: "site not in the user's sites" },
    });
  }
  throw error;
}

/**
 * De-identified aggregate quality metrics of the actor's sites, with CDS card feedback on rule
 * performance. Audited as `quality.metrics` with the filters only.
 */
export async function getQualityMetrics(
  ctx: Ctx,
  query: QualityMetricsQuery,
  now: Date = new Date(),
): Promise<QualityMetricsResponse> {
  const filters = resolveQualityFilters(query, todayIso(now));
  try {
    const result = await computeMetrics(ctx, filters, now);
    await recordAudit(ctx.db, ctx.actor, {
      action: "quality.metrics",
      entityType: "quality",
      detail: { filters },
    });
    return result;
  } catch (error) {
    return auditDenied(ctx, "quality.metrics", { filters }, error);
  }
}

export interface QualityExport {
  filename: string;
  csv: string;
}

/** One metric as CSV with the same suppression; audited as `quality.export`. */
export async function exportQualityMetric(
  ctx: Ctx,
  query: QualityMetricsQuery & { metric: QualityMetricId },
  now: Date = new Date(),
): Promise<QualityExport> {
  const { metric: metricId, ...rest } = query;
  const filters = resolveQualityFilters(rest, todayIso(now));
  const result = await computeMetrics(ctx, filters, now).catch((error: unknown) =>
    auditDenied(ctx, "quality.export", { filters, metric: metricId }, error),
  );
  const metric = result.metrics.find((m) => m.id === metricId);
  if (!metric) throw new AppError("not-found", "That metric was not found.");
  await recordAudit(ctx.db, ctx.actor, {
    action: "quality.export",
    entityType: "quality",
    entityId: metricId,
    detail: { filters, metric: metricId },
  });
  // The file names the site by its code, not its id; every row names the sites and filters.
  const sites = filters.site ? result.sites.filter((x) => x.id === filters.site) : result.sites;
  const siteCode = filters.site ? (sites[0]?.code ?? filters.site) : null;
  return {
    filename: exportFileName(
      `quality-${metricId}`,
      {
        from: filters.from,
        to: filters.to,
        site: siteCode,
        age: filters.ageBand,
        sex: filters.sex,
      },
      now,
    ),
    csv: metricToCsv(metric, filters, { sites, now }),
  };
}
