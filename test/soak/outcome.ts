/**
 * What one run of a fault scenario found. `lost`, `doubled` and `diverged` must be 0 on every run;
 * `faults` counts the faults that were actually injected (kills, cuts, restarts), so a run whose
 * fault never landed can be told from one that survived it.
 */
export interface ScenarioOutcome {
  /** Acknowledged entries the run wrote (and, for sync scenarios, pushed). */
  mutations: number;
  /** Acknowledged entries missing at the end (from the replica or from the server). */
  lost: number;
  /** Entries present more than once (rows, outbox mutations, device numbers). */
  doubled: number;
  /** Rows whose replica and server copies differ, or audit-chain / outbox defects. */
  diverged: number;
  faults: number;
}

/** Where a scenario can create its server databases: the vitest cluster by default. */
export interface ScenarioEnv {
  /** Admin URL of an embedded cluster; absent inside vitest (its global cluster is used). */
  adminUrl?: string;
}

/** Lost and doubled entries among `expected` notes, from the server's count and distinct count. */
export function countedOutcome(
  expected: number,
  stored: { entries: number; distinct_notes: number } | undefined,
): Pick<ScenarioOutcome, 'lost' | 'doubled'> {
  const entries = stored?.entries ?? 0;
  const distinct = stored?.distinct_notes ?? 0;
  return { lost: expected - distinct, doubled: entries - distinct };
}
