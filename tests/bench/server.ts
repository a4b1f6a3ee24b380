// The app server the benchmark starts (in its own process, so its memory is its own): the
// production build in NEXT_DIST_DIR, on the database given by DATABASE_URL or PGLITE_DIR, no seed.
import { fail } from "../../scripts/lib/args";
import { serve } from "../../scripts/lib/server";

try {
  await serve({ seedIfEmpty: false, printDemoLogins: false });
} catch (error) {
  fail(error);
}
