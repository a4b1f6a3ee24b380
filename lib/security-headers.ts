/** Security headers of every response (OWASP ASVS 14.4). Pure, so it is unit-tested. */
export function contentSecurityPolicy(
  nonce: string,
  options: {
    development: boolean;
    /** Embedded mode (SMART_EMBEDDED): the EHR origins that may frame the app; else none may. */
    frameAncestors?: readonly string[];
  },
): string {
  const script = options.development
    ? // next dev's hot reload evaluates code; production never does.
      `'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`
    : `'self' 'nonce-${nonce}' 'strict-dynamic'`;
  return [
    `default-src 'self'`,
    `script-src ${script}`,
    // React style attributes (charts, layout) need inline styles; scripts never run inline.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${options.development ? " ws:" : ""}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    options.frameAncestors?.length
      ? `frame-ancestors 'self' ${options.frameAncestors.join(" ")}`
      : `frame-ancestors 'none'`,
  ].join("; ");
}

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy":
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/**
 * The static headers; in embedded mode without X-Frame-Options (it cannot name origins, and DENY
 * would forbid the EHR's frame that frame-ancestors allows).
 */
export function staticSecurityHeaders(embedded: boolean): Readonly<Record<string, string>> {
  if (!embedded) return STATIC_SECURITY_HEADERS;
  const { "X-Frame-Options": _denied, ...rest } = STATIC_SECURITY_HEADERS;
  return rest;
}

/** HSTS only when the app is served over HTTPS (a plain-HTTP demo must not pin itself). */
export function hstsHeader(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
