/** Reads `--name value` / `--name=value` / `--flag` from argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function hasFlag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

/** A positive whole number option, or exit 2 with a message. */
export function intOption(argv: readonly string[], name: string, fallback: number): number {
  const raw = argValue(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number ≥ 0 (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

/** Prints a known startup failure in one clear line (no stack) and exits. */
export function fail(error: unknown): never {
  const e = error as Error;
  console.error(`\n✖ ${e?.message ?? String(error)}\n`);
  process.exit(1);
}
