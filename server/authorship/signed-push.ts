/**
 * A push as protocol 2 takes it: every mutation's signature is checked, with a key its person
 * registered from this device, before anything of the batch is applied. One that fails is
 * `rejected` with `bad_signature` and leaves no trace (not even in applied_mutations: the same
 * mutation id, properly signed, may still come); the others go on to pushMutations. A device
 * token alone therefore cannot change anything in anyone's name.
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
  deviceId: string,
  mutations: readonly Mutation[],
): Promise<(Refusal | null)[]> {
  const keys = await loadSigningKeys(
    pool,
    deviceId,
    mutations.map((mutation) => mutation.userId),
  );
  const checks = await Promise.all(
    mutations.map((mutation) =>
      checkSignature(keys.get(mutation.userId), mutationSigningText(mutation), mutation.signature),
    ),
  );
  return checks.map((check) => (check === 'verified' ? null : check));
}

export async function pushSignedMutations(
  pool: pg.Pool,
  ctx: PushContext,
  mutations: readonly Mutation[],
  log: FastifyBaseLogger,
): Promise<MutationResult[]> {
  const refusals = await refuseUnverified(pool, ctx.device.id, mutations);
  const verified = mutations.filter((_, index) => refusals[index] === null);
  const applied = await pushMutations(pool, ctx, verified);
  let next = 0;
  const results = mutations.map((mutation, index): MutationResult => {
    const refusal = refusals[index];
    if (refusal === null || refusal === undefined) {
      const result = applied[next];
      next += 1;
      if (!result) throw new Error('push: an applied mutation has no result');
      return result;
    }
    log.warn(
      {
        deviceId: ctx.device.id,
        userId: mutation.userId,
        mutationId: mutation.mutationId,
        refusal,
      },
      'push: a mutation whose signature does not verify was refused',
    );
    return {
      mutationId: mutation.mutationId,
      status: 'rejected',
      reason: { code: 'bad_signature', message: REFUSED[refusal] },
    };
  });
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
