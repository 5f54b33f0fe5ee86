/**
 * Devices (administrators, `devices:manage`): the hospital's workstations as the server last
 * heard from them, most at risk first (the oldest change not yet on the server), a workstation
 * silent for more than a day marked in words as well as colour. Read online in the
 * administrator's name; offline, the last list read, saying when it was read. Another
 * workstation of the hospital can be revoked from its row, online (revoke-device.tsx). Below,
 * the rescue of a revoked workstation's unsent changes: saved to a file here, replayed from
 * another workstation (rescue-files.tsx).
 */
import { Alert, Badge, Button, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { SILENT_AFTER_MS } from '../../../shared/fleet-risk';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { useTRPC } from '../../trpc/client';
import { RescueExport, RescueReplay } from './rescue-files';
import { RevokeDevice } from './revoke-device';

const SILENT_HOURS = SILENT_AFTER_MS / 3_600_000;

function skewText(ms: number | null): string {
  if (ms === null) return '–';
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 60) return `${String(seconds)} s`;
  return `${String(Math.round(seconds / 60))} min`;
}

export function DevicesScreen() {
  const trpc = useTRPC();
  // Each read is a signed, audited request to the server: read on opening and on demand only.
  const fleet = useQuery({
    ...trpc.sync.fleet.queryOptions(),
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const view = fleet.data;
  const devices = view && view.state !== 'offline' ? view.devices : [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Devices</Title>
        <Button
          variant="default"
          loading={fleet.isFetching}
          onClick={() => {
            void fleet.refetch();
          }}
        >
          Read again
        </Button>
      </Group>
      {fleet.error ? (
        <Alert color="red" title="The list could not be read" role="alert">
          {fleet.error.message}
        </Alert>
      ) : null}
      {view?.state === 'offline' ? (
        <Alert color="yellow" title="Offline" role="status">
          {view.message}
        </Alert>
      ) : null}
      {view?.state === 'remembered' ? (
        <Alert color="yellow" title="Offline" role="status" data-testid="fleet-remembered">
          {view.message} As read at {formatDateTime(view.readAt)}.
        </Alert>
      ) : null}
      {view?.state === 'answered' ? (
        <Text size="sm" c="dimmed" data-testid="fleet-read-at">
          Read from the server at {formatDateTime(view.readAt)}.
        </Text>
      ) : null}
      <DataTable
        data-testid="fleet-list"
        caption="Workstations of this hospital, those holding the oldest unsent changes first"
        columns={[
          {
            key: 'name',
            header: 'Workstation',
            cell: (row) => (
              <Group gap={6}>
                <Text fw={600} size="sm">
                  {row.name}
                </Text>
                {row.thisWorkstation ? <Badge variant="light">this one</Badge> : null}
              </Group>
            ),
          },
          {
            key: 'seen',
            header: 'Last seen',
            cell: (row) => (
              <Stack gap={2}>
                <Text size="sm">
                  {row.lastSeenAge === null ? 'never' : `${row.lastSeenAge} ago`}
                </Text>
                {row.silent ? (
                  <Text size="xs" fw={700} c="red.9">
                    {`Not synced for over ${String(SILENT_HOURS)} h`}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
          {
            key: 'unsent',
            header: 'Unsent changes',
            cell: (row) => (row.outboxPending === null ? '–' : String(row.outboxPending)),
            td: { 'data-testid': 'fleet-unsent' },
          },
          {
            key: 'oldest',
            header: 'Oldest unsent',
            cell: (row) =>
              row.oldestPendingAt === null
                ? '–'
                : `${formatDateTime(row.oldestPendingAt)} (${row.oldestPendingAge ?? ''} ago)`,
          },
          { key: 'version', header: 'App version', cell: (row) => row.appVersion ?? '–' },
          { key: 'skew', header: 'Clock off by', cell: (row) => skewText(row.clockSkewMs) },
          {
            key: 'revoked',
            header: 'Revoked',
            cell: (row) =>
              row.revokedAt !== null ? (
                formatDateTime(row.revokedAt)
              ) : row.thisWorkstation || view?.state !== 'answered' ? (
                '–'
              ) : (
                <RevokeDevice
                  device={row}
                  onRevoked={() => {
                    void fleet.refetch();
                  }}
                />
              ),
            td: { 'data-testid': 'fleet-revoked' },
          },
          {
            key: 'id',
            header: 'Device id',
            cell: (row) => <Code>{row.id}</Code>,
          },
        ]}
        rows={devices}
        rowKey={(row) => row.id}
        rowProps={(row) => ({
          'data-device-id': row.id,
          'data-silent': String(row.silent),
          ...(row.silent ? { bg: 'var(--mantine-color-red-light)' } : {}),
        })}
        empty={view && view.state !== 'offline' ? 'No workstation is enrolled yet.' : null}
      />
      <Text size="sm" c="dimmed">
        Revoke a workstation that is lost, stolen or replaced with its Revoke button (online); its
        changes not yet sent stay on it. This workstation is revoked from another one, or by IT with{' '}
        <Code>npm run server -- devices revoke ID</Code> on the server.
      </Text>
      <RescueExport />
      <RescueReplay />
    </Stack>
  );
}
