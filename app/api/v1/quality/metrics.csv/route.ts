// GET /api/v1/quality/metrics.csv?metric=<id>&…filters: one metric as CSV, same suppression.
import { qualityExportQuerySchema } from "@/lib/api/quality";
import { csvDownload } from "@/lib/api/csv-download";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { exportQualityMetric } from "@/lib/server/quality";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("quality.export", async (req, { ctx }) => {
  const query = parseQuery(qualityExportQuerySchema, req.nextUrl.searchParams);
  const { filename, csv } = await exportQualityMetric(ctx, query);
  const response = csvDownload(csv, filename);
  response.headers.set("cache-control", "private, no-store");
  response.headers.set("x-content-type-options", "nosniff");
  return response;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
