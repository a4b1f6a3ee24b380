// CLI: `npm run --silent assess -- <file.json | ->` prints the Assessment of one AssessInput as JSON.
// Exit 0 on success; 2 on invalid input (errors as JSON on stdout) or a usage error (stderr).
import { readFileSync } from "node:fs";
import { assess, validate } from "../lib/clinical/index";
import type { ValidationError } from "../lib/clinical/index";

const EXIT_INVALID = 2;

function printErrors(errors: readonly ValidationError[]): void {
  process.stdout.write(`${JSON.stringify({ errors }, null, 2)}\n`);
  process.exitCode = EXIT_INVALID;
}

function readSource(source: string): string {
  // File descriptor 0 is stdin; readFileSync reads it to the end.
  return readFileSync(source === "-" ? 0 : source, "utf8");
}

function main(argv: readonly string[]): void {
  const source = argv[0];
  if (source === undefined || argv.length > 1) {
    process.stderr.write("usage: npm run --silent assess -- <file.json | ->\n");
    process.exitCode = EXIT_INVALID;
    return;
  }
  let text: string;
  try {
    text = readSource(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    printErrors([
      { path: "", message: `cannot read ${source === "-" ? "stdin" : source}: ${reason}` },
    ]);
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    printErrors([{ path: "", message: `not valid JSON: ${reason}` }]);
    return;
  }
  const result = validate(json);
  if (result.status === "invalid") {
    printErrors(result.errors);
    return;
  }
  process.stdout.write(`${JSON.stringify(assess(result.input), null, 2)}\n`);
}

main(process.argv.slice(2));
