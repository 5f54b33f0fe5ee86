/**
 * One staff member's account: role, active or not, unlock, password reset, direct grants and
 * sign-ins on this workstation. Only what the
 * signed-in administrator may hand out is offered (the same rules the server applies).
 */
import {
  Badge,
  Button,
  Divider,
  Drawer,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles';
import { awaitsAdminUnlock } from '../../../shared/sign-in-lock';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useReauth } from '../../session/reauth-dialog';
import { useTRPC } from '../../trpc/client';
import { GrantForm } from './grant-form';
import { WardAssignments } from './ward-assignments';
import { LoginHistory, PasswordReset } from './staff-password';
import type { StaffList, StaffMember } from './types';

export function StaffDrawer({
  member,
  list,
  onClose,
}: {
  member: StaffMember;
  list: StaffList;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const reauth = useReauth();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.staff.list.queryKey() });
  const saved = (message: string) => async () => {
    notifySaved(message);
    await refresh();
  };
  const [role, setRole] = useState<Role>(member.role);
  const [confirmingDeactivate, setConfirmingDeactivate] = useState(false);
  const changeRole = useMutation(
    trpc.staff.changeRole.mutationOptions({
      onSuccess: saved(`${member.fullName} is now ${ROLE_LABELS[role]}.`),
      onError: notifyFailure,
    }),
  );
  const setActive = useMutation(
    trpc.staff.setActive.mutationOptions({
      onSuccess: async (_, input) => {
        setConfirmingDeactivate(false);
        await saved(
          input.active
            ? `${member.fullName} can sign in again.`
            : `${member.fullName} can no longer sign in.`,
        )();
      },
      onError: notifyFailure,
    }),
  );
  const unlock = useMutation(
    trpc.staff.unlock.mutationOptions({
      onSuccess: saved(`${member.fullName} is unlocked.`),
      onError: notifyFailure,
    }),
  );
  const revoke = useMutation(
    trpc.staff.revoke.mutationOptions({
      onSuccess: saved('Grant revoked.'),
      onError: notifyFailure,
    }),
  );
  // The current role stays listed so the picker shows it, even when it is not one the actor may give.
  const roleOptions = ROLES.filter(
    (candidate) => candidate === member.role || list.assignableRoles.includes(candidate),
  ).map((candidate) => ({ value: candidate, label: ROLE_LABELS[candidate] }));

  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={`Manage ${member.fullName}`}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {member.email ?? 'Managed by the server; known here by name only.'}
        </Text>

        <Group align="flex-end">
          <Select
            label="Role"
            data={roleOptions}
            value={role}
            allowDeselect={false}
            onChange={(value) => {
              setRole(ROLES.find((candidate) => candidate === value) ?? member.role);
            }}
          />
          <Button
            disabled={role === member.role}
            loading={changeRole.isPending}
            onClick={() => {
              void reauth('staff.change_role').then((reauthProof) => {
                if (reauthProof) changeRole.mutate({ userId: member.id, role, reauthProof });
              });
            }}
          >
            Change role
          </Button>
        </Group>

        <Group>
          {member.active ? (
            <Button
              color="red"
              variant="light"
              onClick={() => {
                setConfirmingDeactivate(true);
              }}
            >
              Deactivate…
            </Button>
          ) : (
            <Button
              variant="light"
              loading={setActive.isPending}
              onClick={() => {
                setActive.mutate({ userId: member.id, active: true });
              }}
            >
              Reactivate
            </Button>
          )}
          {member.lockedUntil ? (
            <Button
              variant="light"
              loading={unlock.isPending}
              onClick={() => {
                unlock.mutate({ userId: member.id });
              }}
            >
              {awaitsAdminUnlock(member.lockedUntil)
                ? 'Unlock (locked until an administrator unlocks it)'
                : `Unlock (locked until ${formatDateTime(member.lockedUntil)})`}
            </Button>
          ) : null}
          <PasswordReset member={member} />
        </Group>

        <Divider />
        <Title order={3} size="h4">
          Direct grants
        </Title>
        {member.grants.length === 0 ? (
          <Text c="dimmed">No direct grants: only the role’s permissions.</Text>
        ) : null}
        <Stack gap="xs" data-testid="grant-list">
          {member.grants.map((grant) => (
            <Group key={grant.id} justify="space-between" wrap="nowrap">
              <div>
                <Group gap="xs">
                  <Text fw={600}>{grant.permission}</Text>
                  <Badge variant="light" color={grant.expiresAt ? 'yellow' : 'blue'}>
                    {grant.expiresAt ? `until ${formatDateTime(grant.expiresAt)}` : 'no expiry'}
                  </Badge>
                </Group>
                {grant.reason ? (
                  <Text size="sm" c="dimmed">
                    {grant.reason}
                  </Text>
                ) : null}
              </div>
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                aria-label={`Revoke ${grant.permission}`}
                loading={revoke.isPending && revoke.variables.grantId === grant.id}
                onClick={() => {
                  void reauth('staff.revoke').then((reauthProof) => {
                    if (reauthProof) revoke.mutate({ grantId: grant.id, reauthProof });
                  });
                }}
              >
                Revoke
              </Button>
            </Group>
          ))}
        </Stack>
        <GrantForm member={member} grantable={list.grantablePermissions} onGranted={refresh} />
        <Divider />
        <WardAssignments member={member} />
        <Divider />
        <LoginHistory member={member} />
      </Stack>

      <Modal
        opened={confirmingDeactivate}
        onClose={() => {
          setConfirmingDeactivate(false);
        }}
        title={`Deactivate ${member.fullName}?`}
      >
        <Stack>
          <Text>
            {member.fullName} will not be able to sign in or do anything on any workstation once
            this reaches the server. You can reactivate the account later.
          </Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              data-autofocus
              onClick={() => {
                setConfirmingDeactivate(false);
              }}
            >
              Cancel
            </Button>
            <Button
              color="red"
              loading={setActive.isPending}
              onClick={() => {
                setActive.mutate({ userId: member.id, active: false });
              }}
            >
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Drawer>
  );
}
