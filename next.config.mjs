/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build directory lets the test suite build while a demo server keeps serving `.next`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // PGlite ships a WASM file: keep it out of the bundle (and out of /_next/static, which is public).
  // prom-client and the pg instrumentation: loaded from node_modules, like the driver they
  // observe (the instrumentation patches the pg module that the app really uses).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@node-rs/argon2",
    "pg",
    "pino",
    "prom-client",
    "@opentelemetry/instrumentation-pg",
  ],
  outputFileTracingExcludes: { "*": ["./.data/**/*"] },
  typedRoutes: false,
  // Type checking is its own step (`npm run typecheck`, part of `npm test`): the build does not
  // repeat it, which halves build time on 2 cores.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
