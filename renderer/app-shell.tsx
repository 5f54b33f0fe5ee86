/**
 * The signed-in frame: header (who, how signed in, lock, sign out), navigation limited to the
 * user's permissions, and the current screen. Sized for a 1366×768 ward workstation.
 */
import {
  AppShell,
  Badge,
  Button,
  Group,
  Kbd,
  Menu,
  Modal,
  NavLink,
  Stack,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLE_LABELS } from '../shared/roles';
import { AuditAlertNotice } from './screens/audit/access-report-screen';
import { AlertCount } from './screens/alerts/alert-count';
import { PushNotices } from './screens/alerts/push-notices';
import { ScreenOutlet } from './screens/screen-outlet';
import { OfflineBanner } from './screens/sync/offline-banner';
import { SyncBadge } from './screens/sync/sync-badge';
import { allowedScreens, homeScreen } from './screens/screen-list';
import { ChangeOwnPasswordForm } from './session/password-change-form';
import { useIdleLock } from './session/use-idle-lock';
import { useActiveUser } from './session/use-session';
import { forgetPreviousUser } from './stores/reset';
import { useNavStore } from './stores/nav-store';
import { useTRPC } from './trpc/client';

export function AppShellLayout() {
  const user = useActiveUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const screens = allowedScreens(user.permissions);
  const current = useNavStore((state) => state.screen) ?? homeScreen(user.role, user.permissions);
  const open = useNavStore((state) => state.open);
  useIdleLock(user.locksAt);
  const [changingPassword, setChangingPassword] = useState(false);

  const leave = () => ({
    onSuccess: async () => {
      forgetPreviousUser(queryClient);
      await queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() });
    },
  });
  const lock = useMutation(trpc.auth.lock.mutationOptions(leave()));
  const logout = useMutation(trpc.auth.logout.mutationOptions(leave()));

  useHotkeys(
    [
      [
        'alt+L',
        () => {
          lock.mutate();
        },
      ],
      ...screens.map(
        (screen, index) =>
          [
            `alt+${String(index + 1)}`,
            () => {
              open(screen.id);
            },
          ] as [string, () => void],
      ),
    ],
    [],
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 190, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h3">
              Wardline
            </Title>
            {user.mode === 'offline' ? (
              <Tooltip label="The server could not be reached at sign-in; you signed in with the password cached on this workstation. Your work is saved here and sent when the server is back.">
                <Badge color="orange" variant="light">
                  Signed in offline
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {user.permissions.has('sync:read') ? <SyncBadge /> : null}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton title="Your account: change password">
                  <Stack gap={0} align="flex-end">
                    <Text size="sm" fw={600} data-testid="signed-in-user">
                      {user.fullName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {ROLE_LABELS[user.role]}
                    </Text>
                  </Stack>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  onClick={() => {
                    setChangingPassword(true);
                  }}
                >
                  Change password…
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                lock.mutate();
              }}
              loading={lock.isPending}
              title="Lock (Alt+L)"
            >
              Lock
            </Button>
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                logout.mutate();
              }}
              loading={logout.isPending}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Screens">
        <nav aria-label="Screens">
          {screens.map((screen, index) => (
            <NavLink
              key={screen.id}
              component="button"
              label={screen.label}
              active={current === screen.id}
              aria-current={current === screen.id ? 'page' : undefined}
              rightSection={
                <Group gap={4} wrap="nowrap">
                  {screen.id === 'alerts' ? <AlertCount /> : null}
                  <Kbd size="xs">Alt+{index + 1}</Kbd>
                </Group>
              }
              onClick={() => {
                open(screen.id);
              }}
            />
          ))}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main>
        {user.permissions.has('sync:read') ? (
          <>
            <OfflineBanner />
            <PushNotices />
          </>
        ) : null}
        {user.permissions.has('audit:read') && current !== 'access' ? <AuditAlertNotice /> : null}
        <ScreenOutlet screen={current} />
      </AppShell.Main>
      <Modal
        opened={changingPassword}
        onClose={() => {
          setChangingPassword(false);
        }}
        title="Change your password"
      >
        {changingPassword ? (
          <ChangeOwnPasswordForm
            signedInOffline={user.mode === 'offline'}
            onDone={() => {
              setChangingPassword(false);
            }}
          />
        ) : null}
      </Modal>
    </AppShell>
  );
}
