/**
 * Shows the first-start enrollment screen (until the workstation is enrolled and holds its
 * hospital), then the login screen, the lock screen or the signed-in shell, following `auth.session`.
 * When the session id changes (lock, sign-out, another user) everything the previous person
 * saw is dropped before anything else renders.
 */
import { Alert, Center, Loader } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { AppShellLayout } from '../app-shell';
import { ReauthProvider } from './reauth-dialog';
import { forgetPreviousUser } from '../stores/reset';
import { describeFailure } from '../trpc/client';
import { EnrollmentScreen } from './enrollment-screen';
import { LockScreen } from './lock-screen';
import { LoginScreen } from './login-screen';
import {
  ActiveUserContext,
  toPermissionSet,
  useSessionQuery,
  type ActiveUser,
} from './use-session';
import { needsSetup, useSetupStatus } from './use-setup-status';

export function SessionGate() {
  const session = useSessionQuery();
  const setup = useSetupStatus();
  const queryClient = useQueryClient();
  const data = session.data;
  const activeKey = data?.state === 'active' ? data.sessionId : null;
  const previousKey = useRef<string | null>(null);

  useEffect(() => {
    if (previousKey.current !== null && previousKey.current !== activeKey)
      forgetPreviousUser(queryClient);
    previousKey.current = activeKey;
  }, [activeKey, queryClient]);

  const user = useMemo<ActiveUser | null>(() => {
    if (data?.state !== 'active') return null;
    return {
      sessionId: data.sessionId,
      id: data.user.id,
      fullName: data.user.fullName,
      email: data.user.email,
      role: data.user.role,
      mode: data.mode,
      locksAt: data.locksAt,
      permissions: toPermissionSet(data.permissions),
    };
  }, [data]);

  // A signed-in or locked session implies an enrolled workstation: no need to wait for setup.
  const sessionHeld = data?.state === 'active' || data?.state === 'locked';
  if (session.isPending || (setup.isPending && !sessionHeld)) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!data) {
    return (
      <Center mih="100vh" component="main">
        <Alert color="red" title="Wardline cannot start" role="alert">
          {describeFailure(session.error)}
        </Alert>
      </Center>
    );
  }
  if (!sessionHeld && setup.data && needsSetup(setup.data))
    return <EnrollmentScreen status={setup.data} />;
  if (data.state === 'locked') return <LockScreen lockedUser={data.lockedUser} />;
  if (!user) return <LoginScreen expired={data.state === 'signed_out' && data.sessionExpired} />;
  return (
    <ActiveUserContext.Provider value={user}>
      <ReauthProvider key={user.sessionId}>
        <AppShellLayout />
      </ReauthProvider>
    </ActiveUserContext.Provider>
  );
}
