// npm start — serves the production build (`npm run build` first) on PORT (default 3000).
// Options: --seed-if-empty [--patients N] (demo data on an empty database).
import "./lib/tracing"; // first: OpenTelemetry hooks pg before anything loads it
import { DEFAULT_SEED_PATIENTS } from "../lib/seed/demo";
import { fail, hasFlag, intOption } from "./lib/args";
import { serve } from "./lib/server";

Object.assign(process.env, { NODE_ENV: "production" });
const argv = process.argv.slice(2);
try {
  await serve({
    seedIfEmpty: hasFlag(argv, "seed-if-empty"),
    patients: intOption(argv, "patients", DEFAULT_SEED_PATIENTS),
    printDemoLogins: hasFlag(argv, "seed-if-empty"),
  });
} catch (error) {
  fail(error);
}
