// GET /api/v1/worklist/bone-registry.csv: the bone registry as filtered, as CSV (audited).
import { boneRegistryQuerySchema } from "@/lib/api/bone-registry";
import { csvDownload, exportFileName } from "@/lib/api/csv-download";
import { parseQuery } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { exportBoneRegistryCsv } from "@/lib/server/bone-registry";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth("worklist.export", async (req, { ctx }) => {
  const query = parseQuery(boneRegistryQuerySchema, req.nextUrl.searchParams);
  const { csv } = await exportBoneRegistryCsv(ctx, query);
  return csvDownload(csv, exportFileName("bone-registry", query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
