import type { Metadata } from "next";
import { QualityDashboard } from "@/components/quality/quality-dashboard";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/with-auth";
import { todayIso } from "@/lib/server/dates";
import { listQualitySites, SMALL_CELL_THRESHOLD } from "@/lib/server/quality";

export const metadata: Metadata = { title: "Quality" };

/**
 * Quality home: de-identified aggregates of the user's sites. The server authorizes and passes
 * the site choices; the metrics come from GET /api/v1/quality/metrics (filters in the URL).
 */
export default async function QualityPage() {
  const ctx = await requirePage("quality.read");
  const sites = await listQualitySites(ctx);
  return (
    <QualityDashboard
      sites={sites}
      today={todayIso()}
      canExport={can(ctx.actor.role, "quality.export")}
      smallCellThreshold={SMALL_CELL_THRESHOLD}
    />
  );
}
