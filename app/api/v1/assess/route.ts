// POST /api/v1/assess: runs the clinical rules on an AssessInput; stores nothing.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { assess, validate } from "@/lib/clinical";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const POST = withAuth("assess.run", async (req) => {
  const body = await parseJsonBody(req, z.unknown());
  const checked = validate(body);
  if (checked.status === "invalid") {
    throw new AppError("unprocessable", "The assess input is not valid.", {
      errors: checked.errors,
    });
  }
  return Response.json(assess(checked.input), { headers: { "cache-control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
