/**
 * The body of a dialog that confirms an action which asks for the password again: what will
 * happen, why it failed if it did, Cancel, and the red action button (password first, then the
 * action with its proof).
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ReauthAction } from '../../shared/reauth';
import { useReauth } from '../session/reauth-dialog';
import { describeFailure } from '../trpc/client';

export function ReauthConfirm({
  action,
  explanation,
  error,
  failedTitle,
  actionLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  action: ReauthAction;
  explanation: ReactNode;
  error: unknown;
  failedTitle: string;
  actionLabel: string;
  pending: boolean;
  onConfirm: (reauthProof: string) => void;
  onCancel: () => void;
}) {
  const reauth = useReauth();
  return (
    <Stack>
      <Text>{explanation}</Text>
      {error ? (
        <Alert color="red" title={failedTitle} role="alert">
          {describeFailure(error)}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          color="red"
          loading={pending}
          onClick={() => {
            void reauth(action).then((reauthProof) => {
              if (reauthProof) onConfirm(reauthProof);
            });
          }}
        >
          {actionLabel}
        </Button>
      </Group>
    </Stack>
  );
}
