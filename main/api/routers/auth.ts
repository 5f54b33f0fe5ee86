import { z } from 'zod';
import { LoginRequestSchema } from '../../../shared/protocol';
import { PasswordChangeFormSchema } from '../../../shared/passwords';
import { ReauthRequestSchema } from '../../../shared/reauth';
import { changeOwnPassword, replaceTemporaryPassword } from '../../auth/password-change';
import { signIn } from '../../auth/sign-in';
import { loadPermissions } from '../../auth/permissions';
import { publicProcedure, router } from '../trpc';

export const authRouter = router({
  /** Signs in, or unlocks a locked workstation (same user resumes; another user starts afresh). */
  login: publicProcedure.input(LoginRequestSchema).mutation(async ({ ctx, input }) => {
    const session = await signIn(ctx, input);
    return { sessionId: session.id, user: session.user, mode: session.mode };
  }),
  unlock: publicProcedure.input(LoginRequestSchema).mutation(async ({ ctx, input }) => {
    const session = await signIn(ctx, input);
    return { sessionId: session.id, user: session.user, mode: session.mode };
  }),
  /**
   * The signed-in person's own password (online only). Public like lock and logout, since it is
   * everyone's own, whatever their permissions; the active session is required inside.
   */
  changePassword: publicProcedure
    .input(PasswordChangeFormSchema)
    .mutation(async ({ ctx, input }) => {
      await changeOwnPassword(ctx, input);
      return { changed: true };
    }),
  /** After a sign-in answered `password_change_required`: the new password, then sign-in. */
  replaceTemporaryPassword: publicProcedure
    .input(PasswordChangeFormSchema.and(z.object({ email: z.string().trim().min(1).max(254) })))
    .mutation(async ({ ctx, input }) => {
      const session = await replaceTemporaryPassword(ctx, input);
      return { sessionId: session.id, user: session.user, mode: session.mode };
    }),
  /**
   * The password again before a sensitive action (main/auth/reauth.ts): a proof for one call of
   * it. Public like changePassword (everyone's own); the active session is required inside.
   */
  reauthenticate: publicProcedure
    .input(ReauthRequestSchema)
    .mutation(({ ctx, input }) => ctx.reauth.confirm(ctx, input)),
  lock: publicProcedure.mutation(({ ctx }) => {
    ctx.sessions.lock();
    return ctx.sessions.status();
  }),
  logout: publicProcedure.mutation(({ ctx }) => {
    ctx.sessions.end('signed_out');
    return ctx.sessions.status();
  }),
  /** Keyboard and pointer activity in the renderer keeps the idle lock away. */
  reportActivity: publicProcedure.mutation(({ ctx }) => {
    ctx.sessions.reportActivity();
    return ctx.sessions.status();
  }),
  /**
   * Who is signed in, or that the workstation is locked. When `sessionId` changes the renderer
   * must drop every store it holds: it belongs to the previous person.
   */
  session: publicProcedure.input(z.void()).query(({ ctx }) => {
    const status = ctx.sessions.status();
    if (status.state !== 'active') return { ...status, permissions: [] as string[] };
    return {
      ...status,
      permissions: [...loadPermissions(ctx.db, status.user.id, ctx.clock.now())].sort(),
    };
  }),
});
