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

/**
 * The cost an encoded hash (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`, parameters in any order) was
 * made with; null for anything else.
 */
export function argon2idCostOf(encoded: string): Argon2idCost | null {
  const [, type, , parameters = ''] = encoded.split('$');
  const value = (key: string): number | null => {
    const pair = parameters.split(',').find((part) => part.startsWith(`${key}=`));
    const number = Number(pair?.slice(key.length + 1));
    return pair !== undefined && Number.isInteger(number) && number > 0 ? number : null;
  };
  const memoryCost = value('m');
  const timeCost = value('t');
  const parallelism = value('p');
  if (type !== 'argon2id' || memoryCost === null || timeCost === null || parallelism === null) {
    return null;
  }
  return { memoryCost, timeCost, parallelism };
}
