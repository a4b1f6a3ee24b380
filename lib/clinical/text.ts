import { z } from "zod";

/*
 * The one rule for text the application accepts. U+0000 cannot be stored in a PostgreSQL text
 * column, and an unpaired UTF-16 surrogate is not Unicode at all (jsonb refuses its escape), so
 * either would otherwise reach the database and fail there. Every string is checked: declared
 * fields through `text()`, and whole request bodies and query strings through `findBadText`.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REFUSED = new RegExp(`\\u0000|${LONE_SURROGATE.source}`, "g");

export const TEXT_RULE_MESSAGE = "must not contain the character U+0000 or an unpaired surrogate";

/** True when the string holds neither U+0000 nor an unpaired surrogate. */
export function isAcceptedText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** `z.string(params)` with the text rule: the schema every accepted string field starts from. */
export function text(params?: Parameters<typeof z.string>[0]): z.ZodString {
  return z.string(params).refine(isAcceptedText, { error: TEXT_RULE_MESSAGE });
}

/**
 * The path of the first string (value or object key) in a parsed JSON value that breaks the text
 * rule, e.g. `["observations", 0, "name"]`; null when every string is accepted.
 */
export function findBadText(
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | null {
  if (typeof value === "string") return isAcceptedText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      // The key is named with U+FFFD in place of what was refused.
      if (!isAcceptedText(key)) return [...path, key.replace(REFUSED, "\uFFFD")];
      const found = findBadText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
