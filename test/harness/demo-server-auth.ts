/**
 * A stand-in for the central server's sign-in (POST /v1/auth/login) built on the demo users, for
 * tests and the browser harness until the sync engine provides the real one. `online = false`
 * makes it answer as an unreachable server does, to exercise offline sign-in.
 */
import { DEMO_HOSPITAL_ID, DEMO_USERS, demoUserId } from '../../db/seed/demo-data';
import { permissionsOfRole } from '../../shared/roles';
import type { ServerAuth, ServerLoginResult } from '../../main/auth/server-auth';

export interface DemoServerAuth extends ServerAuth {
  online: boolean;
  calls: number;
  /** The signing keys successful sign-ins carried, as the server would register them. */
  registered: { email: string; signingKey: string }[];
}

export function createDemoServerAuth(): DemoServerAuth {
  const auth: DemoServerAuth = {
    online: true,
    calls: 0,
    registered: [],
    login(email, password, signingKey): Promise<ServerLoginResult> {
      auth.calls += 1;
      if (!auth.online) return Promise.resolve({ status: 'unreachable' });
      const user = DEMO_USERS.find((candidate) => candidate.email === email.trim().toLowerCase());
      if (user?.password !== password) return Promise.resolve({ status: 'wrong_credentials' });
      auth.registered.push({ email: user.email, signingKey });
      const admin = user.role === 'super_admin' || user.role === 'regional_admin';
      return Promise.resolve({
        status: 'ok',
        user: {
          id: demoUserId(user.email),
          email: user.email,
          fullName: user.fullName,
          hospitalId: admin ? null : DEMO_HOSPITAL_ID,
          role: user.role,
          permissions: permissionsOfRole(user.role),
        },
      });
    },
  };
  return auth;
}
