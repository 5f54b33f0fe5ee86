/**
 * In the staff drawer: an administrator's password reset (online only), whose temporary
 * password is shown once and kept nowhere, and the person's sign-ins on this workstation.
 */
import { Button, Code, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { TEMPORARY_PASSWORD_VALID_HOURS } from '../../../shared/passwords';
import { formatDateTime } from '../../components/format';
import { ReauthConfirm } from '../../components/reauth-confirm';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { StaffMember } from './types';

export function PasswordReset({ member }: { member: StaffMember }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation(trpc.staff.resetPassword.mutationOptions());
  const close = () => {
    setConfirming(false);
    // The temporary password leaves this screen's memory with the dialog.
    reset.reset();
  };
  return (
    <>
      <Button
        variant="light"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Reset password…
      </Button>
      <Modal
        opened={confirming}
        onClose={close}
        title={`Reset the password of ${member.fullName}?`}
      >
        {reset.data ? (
          <Stack>
            <Text>
              Give this temporary password to {member.fullName} in person. It is shown only now;
              they must choose their own at their next sign-in, which needs the network. It stops
              working after {TEMPORARY_PASSWORD_VALID_HOURS / 24} days unused.
            </Text>
            <Code block fz="xl" data-testid="temporary-password">
              {reset.data.temporaryPassword}
            </Code>
            <Group justify="flex-end">
              <Button data-autofocus onClick={close}>
                Done
              </Button>
            </Group>
          </Stack>
        ) : (
          <ReauthConfirm
            action="staff.reset_password"
            explanation="Their current password stops working at once, here and on the server; other workstations stop accepting it offline at their next sync. Resetting needs the network."
            error={reset.error}
            failedTitle="Not reset"
            actionLabel="Reset password"
            pending={reset.isPending}
            onConfirm={(reauthProof) => {
              reset.mutate({ userId: member.id, reauthProof });
            }}
            onCancel={close}
          />
        )}
      </Modal>
    </>
  );
}

const OUTCOMES: Record<string, string> = {
  success: 'Signed in',
  wrong_credentials: 'Wrong email or password',
  wrong_password: 'Wrong password',
  locked: 'Refused: locked',
  forbidden: 'Refused: other hospital',
  change_required: 'Asked to replace a reset password',
  password_changed: 'Refused: password changed elsewhere',
  expired: 'Refused: offline sign-in expired',
  inactive: 'Refused: account inactive',
};

export function LoginHistory({ member }: { member: StaffMember }) {
  const trpc = useTRPC();
  const allowed = useCan('audit:read');
  const history = useQuery({
    ...trpc.staff.loginHistory.queryOptions({ userId: member.id }),
    enabled: allowed,
  });
  if (!allowed) return null;
  const entries = history.data?.entries ?? [];
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Sign-ins on this workstation
      </Title>
      <Text size="xs" c="dimmed">
        Other workstations’ sign-ins are in the server’s login history.
      </Text>
      {history.data && entries.length === 0 ? (
        <Text c="dimmed">No sign-ins of {member.fullName} on this workstation.</Text>
      ) : null}
      {entries.length > 0 ? (
        <Table data-testid="login-history" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>How</Table.Th>
              <Table.Th>Outcome</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={`${entry.at}-${entry.outcome}-${entry.mode}`}>
                <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                <Table.Td>{entry.mode}</Table.Td>
                <Table.Td>{OUTCOMES[entry.outcome] ?? entry.outcome}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
