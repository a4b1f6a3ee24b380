import { hash, verify } from "@node-rs/argon2";

// argon2id (memory-hard). Parameters: OWASP's first recommended set (19 MiB, 2 passes, 1 lane).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this costs the same as a real hash, so unknown emails take as long as known ones. */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$gIbUvd6CT2djQCg9/e15zg$ohMZ81SdGZt3qloVKyrP/A2HfRjVMpfLYbFeSAyUQVE";
