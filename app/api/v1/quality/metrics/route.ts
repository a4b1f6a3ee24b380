// GET /api/v1/quality/metrics: de-identified aggregate quality metrics with their definitions.
import { qualityMetricsQuerySchema } from "@/lib/api/quality";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { getQualityMetrics } from "@/lib/server/quality";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("quality.read", async (req, { ctx }) => {
  const query = parseQuery(qualityMetricsQuerySchema, req.nextUrl.searchParams);
  return Response.json(await getQualityMetrics(ctx, query), {
    headers: { "cache-control": "private, no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
