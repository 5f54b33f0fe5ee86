/**
 * The first start of a workstation: whether it is enrolled, and enrolling it with a code from
 * IT. Both procedures are public because no user can exist on a workstation before it is
 * enrolled; neither answers with the device token, and the code goes nowhere but the server.
 */
import { z } from 'zod';
import { EnrollRequestSchema } from '../../../shared/protocol';
import { ServerUrlSchema } from '../../../shared/server-address';
import { refuse } from '../../errors';
import type { SyncEngine, SyncPhase } from '../../sync/engine';
import { enrollWorkstation, isWorkstationEnrolled } from '../../sync/enroll';
import { readSyncState } from '../../sync/sync-state';
import type { Workstation } from '../../workstation';
import { publicProcedure, router } from '../trpc';

export const EnrollInput = EnrollRequestSchema.extend({ serverUrl: ServerUrlSchema.optional() });

export interface SetupStatus {
  enrolled: boolean;
  /** IT withdrew this workstation's enrollment: it may be enrolled again with a new code. */
  revoked: boolean;
  /** The enrolled server, else the one IT preset, else null (the screen asks for it). */
  serverUrl: string | null;
  serverUrlLocked: boolean;
  deviceName: string;
  /** Why the enrollment code IT preset was refused at start (spent, expired), else null. */
  presetCodeRefusal: string | null;
  /** The first sync after enrollment: the screen shows it before anyone may sign in. */
  firstSync: {
    complete: boolean;
    phase: SyncPhase;
    /** Rows pulled so far by the first sync; null once it is complete. */
    rows: number | null;
    /** Rows the first sync will load in all, when known (a snapshot says so on its first page). */
    total: number | null;
    /** Rows per second, and the seconds left at that rate (a snapshot first sync). */
    ratePerSecond: number | null;
    secondsLeft: number | null;
    error: string | null;
  };
}

/** A person is waiting at the screen: an unanswered server is named within seconds. */
const ENROLL_TIMEOUT_MS = 15_000;

/** Two clicks on "Enroll" must not spend two codes or race on the token store. */
const enrolling = new WeakSet<Workstation['db']>();

/**
 * Rows the first pull has applied so far. The engine's activity forgets the count once the pull
 * ends, but the screen keeps showing it until the whole first sync is done. Watched only until
 * then, so no listener costs anything on later writes.
 */
const firstPullRows = new WeakMap<SyncEngine, number>();

function watchFirstPull(engine: SyncEngine): void {
  if (firstPullRows.has(engine)) return;
  firstPullRows.set(engine, 0);
  const stop = engine.subscribe((status) => {
    const { activity } = status;
    if (activity.firstSync && activity.phase === 'pulling')
      firstPullRows.set(engine, activity.done);
    if (status.lastSuccessAt !== null) stop();
  });
}

/**
 * A workstation built without enrollment (the demo harness, router tests) has no server to
 * enroll with; it counts as enrolled when it is bound to a hospital.
 */
function isEnrolled(ctx: Workstation): boolean {
  if (!ctx.enrollment) return readSyncState(ctx.db).hospitalId !== null;
  return isWorkstationEnrolled(ctx.db, ctx.enrollment.tokens);
}

function readSetupStatus(ctx: Workstation): SetupStatus {
  const state = readSyncState(ctx.db);
  const preset = ctx.enrollment?.presetServerUrl ?? null;
  const activity = ctx.sync?.status().activity;
  const complete = !ctx.sync || state.lastSuccessAt !== null;
  if (ctx.sync && !complete) watchFirstPull(ctx.sync);
  return {
    enrolled: isEnrolled(ctx),
    revoked: state.deviceRevokedAt !== null,
    serverUrl: state.serverUrl ?? preset,
    serverUrlLocked: state.serverUrl !== null || preset !== null,
    deviceName: ctx.enrollment?.defaultDeviceName ?? '',
    presetCodeRefusal: ctx.enrollment?.presetCodeRefusal ?? null,
    firstSync: {
      complete,
      phase: activity?.phase ?? 'idle',
      rows: complete || !ctx.sync ? null : (firstPullRows.get(ctx.sync) ?? 0),
      total: complete ? null : (activity?.total ?? null),
      ratePerSecond: complete ? null : (activity?.ratePerSecond ?? null),
      secondsLeft: complete ? null : (activity?.secondsLeft ?? null),
      error: complete ? null : state.lastError,
    },
  };
}

function chooseServerUrl(ctx: Workstation, typed: string | undefined): string {
  const preset = ctx.enrollment?.presetServerUrl ?? null;
  if (preset !== null) {
    if (typed !== undefined && typed.replace(/\/+$/, '') !== preset.replace(/\/+$/, ''))
      refuse(
        'server_url_locked',
        `IT set this workstation's server to ${preset}; it cannot be changed here.`,
        'invalid',
      );
    return preset;
  }
  if (typed === undefined)
    refuse(
      'server_url_required',
      'Enter the server address IT gave you, for example https://wardline.hospital.example.',
      'invalid',
    );
  return typed;
}

export const setupRouter = router({
  status: publicProcedure.input(z.void()).query(({ ctx }) => readSetupStatus(ctx)),
  enroll: publicProcedure.input(EnrollInput).mutation(async ({ ctx, input }) => {
    // A revoked workstation is enrolled again over its replica: its unsent entries are kept.
    if (isEnrolled(ctx) && readSyncState(ctx.db).deviceRevokedAt === null)
      refuse(
        'already_enrolled',
        'This workstation is already enrolled. To enroll it again, IT must reset it.',
        'conflict',
      );
    const setup = ctx.enrollment;
    if (!setup)
      refuse(
        'enrollment_unavailable',
        'This workstation cannot be enrolled from this screen. Ask IT.',
        'forbidden',
      );
    const serverUrl = chooseServerUrl(ctx, input.serverUrl);
    if (enrolling.has(ctx.db))
      refuse(
        'enrollment_in_progress',
        'This workstation is being enrolled already. Wait a moment.',
      );
    enrolling.add(ctx.db);
    try {
      await enrollWorkstation(ctx.db, setup.tokens, {
        serverUrl,
        code: input.code,
        deviceName: input.deviceName,
        now: () => ctx.clock.now(),
        timeoutMs: ENROLL_TIMEOUT_MS,
        ...(setup.fetch ? { fetch: setup.fetch } : {}),
      });
    } finally {
      enrolling.delete(ctx.db);
    }
    // The engine reads the server and token at each call: the first sync starts now, no restart.
    if (ctx.sync) {
      watchFirstPull(ctx.sync);
      void ctx.sync.syncNow();
    }
    return readSetupStatus(ctx);
  }),
});
