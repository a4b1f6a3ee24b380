// GET /api/v1/worklist.csv: exactly the filtered worklist as CSV (care team only; audited).
import { csvDownload, exportFileName } from "@/lib/api/csv-download";
import { parseQuery } from "@/lib/api/problem";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { withAuth } from "@/lib/auth/with-auth";
import { exportWorklistCsv } from "@/lib/server/worklist";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.export", async (req, { ctx }) => {
  const query = parseQuery(worklistQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportWorklistCsv(ctx, query);
  return csvDownload(csv, exportFileName("worklist", query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
