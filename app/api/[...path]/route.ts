// Any other path under /api, whatever the method: a 404 problem+json with the request's id, not
// the app's HTML not-found page (API clients parse the error body; they cannot parse a page).
import { AppError } from "@/lib/api/errors";
import { withoutAuth } from "@/lib/auth/with-auth";

export const dynamic = "force-dynamic";

const noRoute = withoutAuth<{ path: string[] }>(() =>
  Promise.reject(
    new AppError(
      "not-found",
      "No API operation answers this path; GET /api/v1/openapi.json lists those of /api/v1.",
    ),
  ),
);

export const GET = noRoute;
export const POST = noRoute;
export const PUT = noRoute;
export const PATCH = noRoute;
export const DELETE = noRoute;
export const OPTIONS = noRoute;
