import { z } from "zod";
import { AppError } from "./errors";

/** Page sizes for keyset-paginated lists. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export const limitSchema = z.coerce
  .number()
  .int("limit must be a whole number")
  .min(1, "limit must be at least 1")
  .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
  .default(DEFAULT_PAGE_SIZE);

/** An opaque keyset cursor: the sort key of the last row, base64url-encoded JSON. */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** Decodes a cursor made by encodeCursor and checks its shape, or throws a 400. */
export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new AppError("bad-request", "The cursor is not valid; start again from the first page.", {
    errors: [{ path: "cursor", message: "Not a cursor returned by this list." }],
  });
}
