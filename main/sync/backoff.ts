/**
 * Delay before the next attempt after `failures` consecutive failed syncs: exponential with
 * "full jitter", so a hundred workstations coming back after an outage do not knock on the
 * server in step.
 */
export function backoffDelayMs(
  failures: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const base = options.baseMs ?? 1_000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
