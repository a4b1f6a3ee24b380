// GET /api/v1/worklist.csv: exactly the filtered worklist as CSV (care team only; audited).
import { parseQuery } from "@/lib/api/problem";
import { worklistQuerySchema } from "@/lib/api/worklist";
import { withAuth } from "@/lib/auth/with-auth";
import { exportWorklistCsv } from "@/lib/server/worklist";

export const GET = withAuth("worklist.export", async (req, { ctx }) => {
  const query = parseQuery(worklistQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportWorklistCsv(ctx, query);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="worklist-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
});
