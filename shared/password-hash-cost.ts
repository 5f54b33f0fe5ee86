/**
 * The argon2id cost of every stored password hash: the server's (`user_credentials`) and a
 * workstation's offline verifier alike. OWASP's Password Storage Cheat Sheet floor: 19 MiB of
 * memory, 2 passes, 1 lane; about 50 ms a hash here, slow for a guesser and quick at a ward.
 * A hash made with other parameters is made again at the person's next successful sign-in.
 */
export const ARGON2ID_COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface Argon2idCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The cost an encoded hash (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) was made with; null if none. */
export function argon2idCostOf(encoded: string): Argon2idCost | null {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  if (!match) return null;
  return {
    memoryCost: Number(match[1]),
    timeCost: Number(match[2]),
    parallelism: Number(match[3]),
  };
}
