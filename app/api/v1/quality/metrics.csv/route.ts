// GET /api/v1/quality/metrics.csv?metric=<id>&…filters: one metric as CSV, same suppression.
import { qualityExportQuerySchema } from "@/lib/api/quality";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { exportQualityMetric } from "@/lib/server/quality";

export const GET = withAuth("quality.export", async (req, { ctx }) => {
  const query = parseQuery(qualityExportQuerySchema, req.nextUrl.searchParams);
  const { filename, csv } = await exportQualityMetric(ctx, query);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
