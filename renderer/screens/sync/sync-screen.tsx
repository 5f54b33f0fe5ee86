/**
 * Sync in full: status and first-sync progress, the reconciliation inbox (conflicts and changes the
 * server refused, in clinical words), what waits to be sent, and (for IT) enrollment.
 */
import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import { ConflictCard } from './conflict-card';
import { OutboxList } from './outbox-list';
import { RefusedChangeCard } from './refused-change';
import { useSyncStatus } from './use-sync-status';

export function SyncScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useSyncStatus();
  const conflicts = useQuery({ ...trpc.sync.conflicts.queryOptions(), refetchInterval: 5_000 });
  const attention = useQuery({
    ...trpc.sync.needsAttention.queryOptions(),
    refetchInterval: 5_000,
  });
  const waiting = useQuery({
    ...trpc.sync.waitingForSignatures.queryOptions(),
    refetchInterval: 5_000,
  });
  const canSeeDevice = useCan('devices:manage');
  const syncNow = useMutation(
    trpc.sync.syncNow.mutationOptions({
      onSuccess: async (result) => {
        if (result.ok)
          notifySaved(`Synced: ${String(result.pushed)} sent, ${String(result.pulled)} received.`);
        else notifyFailure(new Error(result.error ?? 'The sync did not complete.'));
        await queryClient.invalidateQueries();
      },
      onError: notifyFailure,
    }),
  );
  const data = status.data;
  const activity = data?.activity;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Sync</Title>
        <Button
          onClick={() => {
            syncNow.mutate();
          }}
          loading={syncNow.isPending}
        >
          Sync now
        </Button>
      </Group>
      {data ? (
        <Paper withBorder p="sm">
          <SimpleGrid cols={4}>
            <Fact
              label="Server"
              value={
                data.online === true
                  ? 'reachable'
                  : data.online === false
                    ? 'unreachable'
                    : 'not connected yet'
              }
            />
            <Fact label="Waiting to be sent" value={String(data.pending)} />
            <Fact
              label="Last successful sync"
              value={data.lastSuccessAt ? formatDateTime(data.lastSuccessAt) : 'never'}
            />
            <Fact label="Enrolled" value={data.enrolled ? 'yes' : 'no'} />
          </SimpleGrid>
          {data.lastError ? (
            <Text size="sm" mt="xs" c="red.9">
              Last error: {data.lastError}
            </Text>
          ) : null}
          {activity && activity.phase !== 'idle' ? (
            <Stack gap={2} mt="sm">
              <Text size="sm">
                {activity.firstSync
                  ? 'First sync: loading this hospital’s records'
                  : `Sync in progress (${activity.phase})`}{' '}
                — {activity.done}
                {activity.total !== null ? ` of ${String(activity.total)}` : ''}
              </Text>
              <Progress
                aria-label="Sync progress"
                value={activity.total ? (100 * activity.done) / activity.total : 100}
                animated={activity.total === null}
                striped
              />
            </Stack>
          ) : null}
        </Paper>
      ) : null}

      {waiting.data && waiting.data.people.length > 0 ? (
        <Alert
          color="yellow"
          title="Changes waiting for a sign-in"
          data-testid="waiting-for-signatures"
        >
          <Stack gap={4}>
            <Text size="sm">
              These changes were made before this workstation held their author’s signing key. They
              are kept, and sent as soon as that person signs in here once while the server can be
              reached.
            </Text>
            {waiting.data.people.map((person) => (
              <Text size="sm" key={person.userId}>
                {person.changes} change{person.changes === 1 ? '' : 's'} since{' '}
                {formatDateTime(person.since)}: {person.reason}
              </Text>
            ))}
            {waiting.data.heldBehind > 0 ? (
              <Text size="sm">
                {waiting.data.heldBehind} later change
                {waiting.data.heldBehind === 1 ? ' waits' : 's wait'} behind them, so that changes
                reach the server in the order they were made.
              </Text>
            ) : null}
          </Stack>
        </Alert>
      ) : null}

      <section aria-labelledby="conflicts-title">
        <Title order={3} size="h4" id="conflicts-title" mb="xs">
          Conflicts ({conflicts.data?.length ?? 0})
        </Title>
        {conflicts.data?.length === 0 ? (
          <Text c="dimmed">No conflicts. Edits of different fields were merged on their own.</Text>
        ) : null}
        <Stack gap="sm">
          {(conflicts.data ?? []).map((conflict) => (
            <ConflictCard key={conflict.id} conflict={conflict} />
          ))}
        </Stack>
      </section>

      <section aria-labelledby="attention-title">
        <Title order={3} size="h4" id="attention-title" mb="xs">
          Refused by the server ({attention.data?.length ?? 0})
        </Title>
        {attention.data?.length === 0 ? <Text c="dimmed">Nothing was refused.</Text> : null}
        <Stack gap="sm" data-testid="needs-attention">
          {(attention.data ?? []).map((item) => (
            <RefusedChangeCard key={item.mutationId} item={item} />
          ))}
        </Stack>
      </section>

      <OutboxList />

      {canSeeDevice ? <EnrollmentDetails /> : null}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

function EnrollmentDetails() {
  const trpc = useTRPC();
  const details = useQuery(trpc.sync.details.queryOptions());
  if (!details.data) return null;
  const d = details.data;
  return (
    <section aria-labelledby="enrollment-title">
      <Title order={3} size="h4" id="enrollment-title" mb="xs">
        This workstation
      </Title>
      {d.deviceId ? null : (
        <Alert color="orange">This workstation is not enrolled with a server.</Alert>
      )}
      <Paper withBorder p="sm">
        <SimpleGrid cols={2}>
          <Fact label="Device" value={d.deviceId ?? '–'} />
          <Fact label="Hospital" value={d.hospitalId ?? '–'} />
          <Fact label="Server" value={d.serverUrl ?? '–'} />
          <Fact label="Pull cursor" value={d.cursor ?? '–'} />
          <Fact label="Last push" value={d.lastPushAt ? formatDateTime(d.lastPushAt) : '–'} />
          <Fact label="Last pull" value={d.lastPullAt ? formatDateTime(d.lastPullAt) : '–'} />
        </SimpleGrid>
      </Paper>
    </section>
  );
}
