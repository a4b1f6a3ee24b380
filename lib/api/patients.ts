import { z } from "zod";
import { limitSchema } from "./pagination";

/** GET /api/v1/patients query. */
export const listPatientsQuerySchema = z
  .object({
    q: z.string().max(100, "q must be at most 100 characters").optional(),
    siteId: z.uuid("siteId must be a site id").optional(),
    cursor: z.string().max(500).optional(),
    limit: limitSchema,
  })
  .strict();
