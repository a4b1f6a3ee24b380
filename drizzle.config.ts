import { defineConfig } from "drizzle-kit";

// Generation only. Apply migrations with `npm run db:migrate` (the app's own migrator, which holds
// the embedded database's lock); `drizzle-kit migrate` would open PGlite behind the lock's back.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
