/**
 * One change the server refused, in clinical words: what, whose record and where, the values it
 * carried, who made it and when, and why. Dismissing it keeps it in the audit trail only.
 */
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

type RefusedChange = RouterOutputs['sync']['needsAttention'][number];

export function RefusedChangeCard({ item }: { item: RefusedChange }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canResolve = useCan('sync:resolve');
  const dismiss = useMutation(
    trpc.sync.dismiss.mutationOptions({
      onSuccess: async () => {
        notifySaved('Dismissed. It stays in the audit trail.');
        await queryClient.invalidateQueries();
      },
      onError: notifyFailure,
    }),
  );
  const headingId = `refused-${item.mutationId}`;
  return (
    <Paper withBorder p="sm" component="article" aria-labelledby={headingId} data-testid="refused">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={700} component="h4" size="md" m={0} id={headingId}>
              {item.what}
              {item.patient ? `: ${item.patient}` : ''}
            </Text>
            {item.place ? (
              <Text size="sm" c="dimmed">
                {item.place}
              </Text>
            ) : null}
          </div>
          <Badge color="red">Refused</Badge>
        </Group>
        <Text size="sm">
          <Text span fw={600}>
            Why:
          </Text>{' '}
          {item.reason}
        </Text>
        {item.fields.length > 0 ? (
          <dl className="alert-facts">
            {item.fields.map((field) => (
              <div key={field.label}>
                <dt>{field.label}</dt>
                <dd>{field.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <Text size="xs" c="dimmed">
          Made {formatDateTime(item.madeAt)}
          {item.by ? ` by ${item.by}` : ''} on this workstation. It is not in the hospital’s record:
          record it again if it is still true.
        </Text>
        {canResolve ? (
          <Group>
            <Button
              size="xs"
              variant="light"
              loading={dismiss.isPending}
              onClick={() => {
                dismiss.mutate({ mutationId: item.mutationId });
              }}
            >
              Dealt with: dismiss
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
