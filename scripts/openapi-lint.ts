// npm run lint:openapi — writes the /api/v1 OpenAPI document to a temporary file and lints it
// with the recommended rules of Redocly.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openApiDocument } from "../lib/api/openapi";
import { APP_VERSION } from "../lib/version";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbc-openapi-"));
const file = path.join(dir, "openapi.json");
fs.writeFileSync(file, JSON.stringify(openApiDocument(APP_VERSION), null, 2));
const result = spawnSync(
  path.join("node_modules", ".bin", "redocly"),
  ["lint", file, "--max-problems", "50", "--format", "stylish"],
  {
    stdio: "inherit",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);
const output = result.status;
fs.rmSync(dir, { recursive: true, force: true });
process.exit(output ?? 1);
