/**
 * Where a sign-in may send the browser: `target` resolved against the app's `origin` the way a
 * browser resolves it (so `/\evil.example/x` and `//evil.example` name the host evil.example), kept
 * only when it stays on that origin; as a path (with query and fragment). Null for anything else,
 * an unparsable target included: never throws. Used by the sign-in form and next-auth's redirect
 * callback alike.
 */
export function sameOriginPath(target: string | null | undefined, origin: string): string | null {
  if (!target) return null;
  try {
    const base = new URL(origin);
    const url = new URL(target, base);
    if (url.origin !== base.origin) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}
