import { isPermission } from '../../shared/permissions';
import { ROLES, type Role } from '../../shared/roles';
import type { ServerAuth, ServerLoginResult } from '../auth/server-auth';
import { TransportError, type SyncTransport } from './transport';

/**
 * Online sign-in through POST /v1/auth/login. Only "the server did not answer" falls back to the
 * offline verifier; a wrong password, a locked account or a user of another hospital is the
 * server's final word and must never be retried offline.
 */
export function httpServerAuth(transport: () => SyncTransport | null): ServerAuth {
  return {
    async login(email, password, signingKey): Promise<ServerLoginResult> {
      const client = transport();
      if (!client) return { status: 'unreachable' };
      try {
        const { user } = await client.login(email, password, signingKey);
        const role = user.roles.find((name): name is Role =>
          (ROLES as readonly string[]).includes(name),
        );
        if (!role) return { status: 'forbidden' };
        return {
          status: 'ok',
          user: {
            id: user.id,
            email: user.email,
            fullName: user.fullName,
            hospitalId: user.hospitalId,
            role,
            permissions: user.permissions.filter(isPermission),
          },
        };
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (error.code === 'account_locked') return { status: 'locked' };
        if (error.code === 'password_change_required') return { status: 'change_required' };
        if (error.code === 'temporary_password_expired') return { status: 'temporary_expired' };
        if (error.kind === 'unauthorized') return { status: 'wrong_credentials' };
        if (error.kind === 'forbidden') return { status: 'forbidden' };
        if (error.kind === 'rate_limited') return { status: 'locked' };
        return { status: 'unreachable' };
      }
    },
  };
}
