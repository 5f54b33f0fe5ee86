import type { ServerPasswords } from '../auth/server-passwords';
import { serverAnswered, TransportError, type SyncTransport } from './transport';

/**
 * Password change and reset over HTTP (POST /v1/auth/password, POST
 * /v1/staff/:userId/password-reset). As for sign-in, only "the server did not answer" means
 * offline; anything the server said is its final word, in its own sentence.
 */
export function httpServerPasswords(transport: () => SyncTransport | null): ServerPasswords {
  return {
    async change(email, currentPassword, newPassword) {
      const client = transport();
      if (!client) return { status: 'unreachable' };
      try {
        return {
          status: 'ok',
          ...(await client.changePassword(email, currentPassword, newPassword)),
        };
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (!serverAnswered(error)) return { status: 'unreachable' };
        if (error.code === 'account_locked' || error.kind === 'rate_limited')
          return { status: 'locked' };
        if (error.kind === 'unauthorized') return { status: 'wrong_password' };
        return { status: 'refused', message: error.message };
      }
    },
    async reset(userId, admin) {
      const client = transport();
      if (!client) return { status: 'unreachable' };
      try {
        return { status: 'ok', ...(await client.resetPassword(userId, admin)) };
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (!serverAnswered(error)) return { status: 'unreachable' };
        return { status: 'refused', message: error.message };
      }
    },
  };
}
