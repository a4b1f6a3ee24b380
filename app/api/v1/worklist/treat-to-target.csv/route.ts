// GET /api/v1/worklist/treat-to-target.csv: the treat-to-target list as filtered, as CSV (audited).
import { csvDownload, exportFileName } from "@/lib/api/csv-download";
import { parseQuery } from "@/lib/api/problem";
import { treatToTargetQuerySchema } from "@/lib/api/treat-to-target";
import { withAuth } from "@/lib/auth/with-auth";
import { exportTreatToTargetCsv } from "@/lib/server/treat-to-target";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.export", async (req, { ctx }) => {
  const query = parseQuery(treatToTargetQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportTreatToTargetCsv(ctx, query);
  return csvDownload(csv, exportFileName("treat-to-target", query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
