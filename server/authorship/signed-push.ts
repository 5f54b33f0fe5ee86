/**
 * A push as protocol 2 takes it: every mutation's signature is checked, with a key its person
 * registered from this device, before anything of the batch is kept. One that fails is
 * `rejected` with `bad_signature` and leaves no trace (not even in applied_mutations: the same
 * mutation id, properly signed, may still come); the others are decided as usual. A device token
 * alone therefore cannot change anything in anyone's name.
 */
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import { mutationSigningText } from '../../shared/authorship';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { pushMutations, type PushContext } from '../sync/push';
import { checkSignature, loadSigningKeys, type SignatureCheck } from './signing-keys';

type Refusal = Exclude<SignatureCheck, 'verified'>;

const REFUSED: Record<Refusal, string> = {
  missing: 'This change is not signed by the person who made it.',
  no_key:
    'The person who made this change has no signing key registered from this workstation: they must sign in online on it once.',
  mismatch:
    'The signature does not match this change and the person named: it was altered after it was signed, or signed by someone else.',
};

async function refuseUnverified(
  pool: pg.Pool,
  ctx: PushContext,
  mutations: readonly Mutation[],
  log: FastifyBaseLogger,
): Promise<(MutationResult | null)[]> {
  const keys = await loadSigningKeys(
    pool,
    ctx.device.id,
    mutations.map((mutation) => mutation.userId),
  );
  const checks = await Promise.all(
    mutations.map((mutation) =>
      checkSignature(keys.get(mutation.userId), mutationSigningText(mutation), mutation.signature),
    ),
  );
  return mutations.map((mutation, index): MutationResult | null => {
    const check = checks[index] ?? 'missing';
    if (check === 'verified') return null;
    log.warn(
      { deviceId: ctx.device.id, userId: mutation.userId, mutationId: mutation.mutationId, check },
      'push: a mutation whose signature does not verify was refused',
    );
    return {
      mutationId: mutation.mutationId,
      status: 'rejected',
      reason: { code: 'bad_signature', message: REFUSED[check] },
    };
  });
}

/**
 * The signatures are checked on Node's thread pool while pushMutations's transaction decides and
 * writes the batch, which commits only once every check has held (server/sync/push.ts); a batch
 * with a refused mutation is undone and done again without it. So the checks cost a push little
 * of its time, and a refused mutation never changes anything.
 */
export async function pushSignedMutations(
  pool: pg.Pool,
  ctx: PushContext,
  mutations: readonly Mutation[],
  log: FastifyBaseLogger,
): Promise<MutationResult[]> {
  const refusals = refuseUnverified(pool, ctx, mutations, log);
  // Awaited by pushMutations; should the push fail before that, its failure is the one reported.
  refusals.catch(() => undefined);
  const results = await pushMutations(pool, ctx, mutations, refusals);
  logRefusedSequences(ctx, mutations, results, log);
  return results;
}

/** A reused sequence number, or a batch the server has already seen (a resend or a replay). */
function logRefusedSequences(
  ctx: PushContext,
  mutations: readonly Mutation[],
  results: readonly MutationResult[],
  log: FastifyBaseLogger,
): void {
  const whose = (test: (result: MutationResult) => boolean) => {
    const userIds = new Set<string>();
    results.forEach((result, index) => {
      const mutation = mutations[index];
      if (mutation && test(result)) userIds.add(mutation.userId);
    });
    return { deviceId: ctx.device.id, userIds: [...userIds] };
  };
  const reused = (result: MutationResult) => result.reason?.code === 'sequence_reused';
  if (results.some(reused))
    log.warn(
      whose(reused),
      'push: mutations with a reused device sequence number were refused (a restored or cloned workstation?)',
    );
  const duplicate = (result: MutationResult) => result.status === 'duplicate';
  if (results.some(duplicate))
    log.warn(
      whose(duplicate),
      'push: mutations already applied were sent again (a lost answer, or a replay); nothing changed',
    );
}
