/**
 * Sync as the renderer sees it: the status badge and banner (`status`, polled), a manual sync,
 * the conflicts and needs-attention panel, and this workstation's enrollment details for admins.
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { countPending } from '../../sync/push';
import { ReauthProofSchema } from '../../../shared/reauth';
import {
  discardsOthersValue,
  dismissRejected,
  listNeedsAttention,
  listOpenConflicts,
  resolveConflict,
  ResolveConflictInput,
} from '../../sync/conflicts';
import type { SyncStatus } from '../../sync/engine';
import { listPushNotices, markPushNoticesShown } from '../../sync/push-notices';
import { readSendStates } from '../../sync/send-states';
import {
  describeConflicts,
  describeOutbox,
  describeRefusedChanges,
} from '../../sync/reconciliation';
import { readFleet } from '../../sync/fleet-read';
import { revokeWorkstation } from '../../sync/device-revoke';
import { exportRescueFile, readRescuePublicKey, rescueFileName } from '../../sync/rescue-export';
import { replayRescueFile } from '../../sync/rescue-replay';
import { readSyncState } from '../../sync/sync-state';
import { listWaitingForSignatures } from '../../sync/waiting-signatures';
import type { Workstation } from '../../workstation';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

/** A workstation without a sync engine still tells the truth about what waits to be sent. */
function currentStatus(ctx: Workstation): SyncStatus {
  if (ctx.sync) return ctx.sync.status();
  const state = readSyncState(ctx.db);
  return {
    online: null,
    enrolled: false,
    pending: countPending(ctx.db),
    conflicts: listOpenConflicts(ctx.db).length,
    needsAttention: listNeedsAttention(ctx.db).length,
    lastSuccessAt: state.lastSuccessAt,
    lastError: state.lastError,
    clockSkewMs: state.clockSkewMs,
    clockSkewWarning: false,
    deviceRevoked: false,
    activity: { phase: 'idle', done: 0, total: null, firstSync: false },
    pulledChanges: 0,
  };
}

export const syncRouter = router({
  status: permissionProcedure('sync:read').query(({ ctx }) => currentStatus(ctx)),
  syncNow: permissionProcedure('sync:read').mutation(async ({ ctx }) => {
    if (!ctx.sync)
      return {
        ok: false,
        pushed: 0,
        pulled: 0,
        error: 'No server is configured for this workstation.',
      };
    return ctx.sync.syncNow();
  }),
  /** Conflicts in clinical words: patient, bed, field labels, both values, who and when. */
  conflicts: permissionProcedure('sync:read').query(({ ctx }) => describeConflicts(ctx.db)),
  /**
   * Discarding another person's value needs the password again (`reauthProof` for
   * `conflict.discard`); keeping one's own over one's own does not.
   */
  resolveConflict: permissionProcedure('sync:resolve')
    .meta({ permission: 'sync:resolve', reauth: 'conflict.discard' })
    .input(ResolveConflictInput.extend(ReauthProofSchema.partial().shape))
    .mutation(({ ctx, input }) => {
      if (discardsOthersValue(ctx.db, input, ctx.session.user.id))
        ctx.reauth.consume(ctx.session, 'conflict.discard', input.reauthProof, ctx.clock.now());
      const resolved = resolveConflict(ctx, input);
      ctx.sync?.notifyLocalWrite();
      return resolved;
    }),
  /** Changes the server refused, in clinical words, until a person dismisses them. */
  needsAttention: permissionProcedure('sync:read').query(({ ctx }) =>
    describeRefusedChanges(ctx.db),
  ),
  /**
   * Which of these rows still have a change waiting (`pending`) or refused (`rejected`): the
   * chart's "not yet sent" marks follow the outbox while the chart stays open, without reading
   * the chart (and auditing a read) again.
   */
  sendStates: permissionProcedure('sync:read')
    .input(z.object({ rowIds: z.array(IdSchema).max(500) }))
    .query(({ ctx, input }) => readSendStates(ctx.db, input.rowIds)),
  /** What waits to be sent, oldest first. */
  outbox: permissionProcedure('sync:read').query(({ ctx }) =>
    describeOutbox(ctx.db, ctx.clock.now()),
  ),
  /**
   * What the server said about the signed-in person's own changes that they must hear at once
   * (a possible double dose, a bed already taken): every role that syncs hears about its own.
   */
  notices: permissionProcedure('sync:read').query(({ ctx }) =>
    listPushNotices(ctx.db, ctx.session.user.id),
  ),
  noticesShown: permissionProcedure('sync:read')
    .input(z.object({ ids: z.array(IdSchema).max(100) }))
    .mutation(({ ctx, input }) => ({
      shown: markPushNoticesShown(ctx.db, ctx.session.user.id, input.ids, ctx.clock.now()),
    })),
  /** Changes kept unsent until their author signs in online once (an upgrade from protocol 1). */
  waitingForSignatures: permissionProcedure('sync:read').query(({ ctx }) =>
    listWaitingForSignatures(ctx.db),
  ),
  dismiss: permissionProcedure('sync:resolve')
    .input(z.object({ mutationId: IdSchema }))
    .mutation(({ ctx, input }) => dismissRejected(ctx, input.mutationId)),
  /**
   * The hospital's workstations as the server last heard from them (Devices screen), read online
   * in the signed-in administrator's name; offline, the last list read, with when.
   */
  fleet: permissionProcedure('devices:manage').query(({ ctx }) =>
    readFleet(ctx, ctx.sync?.transport() ?? null),
  ),
  /** Online only, in the administrator's name; the server checks and records it too. */
  revokeDevice: reauthProcedure('devices:manage', 'devices.revoke')
    .input(z.object({ deviceId: IdSchema }))
    .mutation(({ ctx, input }) =>
      revokeWorkstation(ctx, ctx.sync?.transport() ?? null, input.deviceId),
    ),
  /**
   * This workstation's unsent changes and audit events as a rescue file sealed to IT's key
   * (docs/SYNC.md "A rescue file"): offline and revoked too. Nothing is removed from the outbox.
   */
  rescueExport: reauthProcedure('devices:manage', 'devices.rescue').mutation(({ ctx }) => {
    const now = ctx.clock.now();
    const exported = exportRescueFile(ctx.db, {
      publicKeyPem: readRescuePublicKey(ctx.rescueKeyFile),
      exporter: {
        userId: ctx.actor.userId,
        role: ctx.actor.role ?? null,
        signer: ctx.actor.signer,
      },
      now,
    });
    const { bytes, ...summary } = exported;
    return {
      ...summary,
      fileName: rescueFileName(exported.deviceId, now),
      content: bytes.toString('base64'),
    };
  }),
  /** Another workstation's rescue file, opened with IT's private key and relayed online. */
  rescueReplay: reauthProcedure('devices:manage', 'devices.rescue')
    .input(
      z.object({
        content: z.base64().max(512 * 1024 * 1024),
        privateKey: z
          .string()
          .min(1)
          .max(64 * 1024),
      }),
    )
    .mutation(({ ctx, input }) =>
      replayRescueFile(ctx, ctx.sync?.transport() ?? null, {
        bytes: Buffer.from(input.content, 'base64'),
        privateKeyPem: input.privateKey,
      }),
    ),
  details: permissionProcedure('devices:manage').query(({ ctx }) => {
    const state = readSyncState(ctx.db);
    return {
      deviceId: state.deviceId,
      hospitalId: state.hospitalId,
      serverUrl: state.serverUrl,
      cursor: state.pullCursor,
      lastPushAt: state.lastPushAt,
      lastPullAt: state.lastPullAt,
      lastSuccessAt: state.lastSuccessAt,
      lastError: state.lastError,
    };
  }),
});
