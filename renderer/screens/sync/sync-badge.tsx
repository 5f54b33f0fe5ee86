/** The header's sync badge: online, offline or revoked, what waits to be sent, when the last sync succeeded. */
import { Badge, Group, Progress, UnstyledButton } from '@mantine/core';
import { fromNow } from '../../components/format';
import { useNavStore } from '../../stores/nav-store';
import { useSyncStatus } from './use-sync-status';

export function SyncBadge() {
  const status = useSyncStatus();
  const open = useNavStore((state) => state.open);
  const data = status.data;
  if (!data) return null;
  // A revoked workstation reaches the server but may send nothing: "Online" would mislead.
  const state = data.deviceRevoked
    ? 'Revoked'
    : data.online === true
      ? 'Online'
      : data.online === false
        ? 'Offline'
        : 'Not connected';
  const colour = data.deviceRevoked
    ? 'red'
    : data.online === true
      ? 'green'
      : data.online === false
        ? 'orange'
        : 'gray';
  const problems = data.conflicts + data.needsAttention;
  const busy = data.activity.phase !== 'idle';
  return (
    <UnstyledButton
      onClick={() => {
        open('sync');
      }}
      title="Sync details"
      data-testid="sync-badge"
    >
      <Group gap={6} wrap="nowrap">
        <Badge color={colour} variant="light" data-testid="sync-state">
          {state}
        </Badge>
        <Badge
          color={data.pending > 0 ? 'blue' : 'gray'}
          variant="light"
          data-testid="sync-pending"
          data-count={data.pending}
        >
          {data.pending} pending
        </Badge>
        {problems > 0 ? (
          <Badge color="red" variant="filled" data-testid="sync-problems">
            {problems} to resolve
          </Badge>
        ) : null}
        <Badge color="gray" variant="light" tt="none">
          {data.lastSuccessAt ? `synced ${fromNow(data.lastSuccessAt)}` : 'never synced'}
        </Badge>
        {busy ? (
          <Progress
            w={60}
            aria-label="Sync progress"
            value={data.activity.total ? (100 * data.activity.done) / data.activity.total : 100}
            animated={data.activity.total === null}
            striped
          />
        ) : null}
      </Group>
    </UnstyledButton>
  );
}
