/**
 * One same-field conflict: both values side by side. Keep the server's, keep this
 * workstation's, or pick per field and save the merge.
 */
import { Badge, Button, Group, Paper, Radio, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

type Conflict = RouterOutputs['sync']['conflicts'][number];

function show(value: unknown): string {
  if (value === null || value === undefined) return '(empty)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function ConflictCard({ conflict }: { conflict: Conflict }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canResolve = useCan('sync:resolve');
  const local: Record<string, unknown> = conflict.localValues;
  const server: Record<string, unknown> = conflict.serverValues;
  const fields = Object.keys(local);
  const [picks, setPicks] = useState<Record<string, 'local' | 'server'>>(() =>
    Object.fromEntries(fields.map((f) => [f, 'local'])),
  );
  const resolve = useMutation(
    trpc.sync.resolveConflict.mutationOptions({
      onSuccess: async () => {
        notifySaved('Conflict resolved.');
        await queryClient.invalidateQueries();
      },
      onError: notifyFailure,
    }),
  );
  const merged = () =>
    Object.fromEntries(
      fields.map((field) => [field, picks[field] === 'server' ? server[field] : local[field]]),
    );

  return (
    <Paper withBorder p="sm" data-testid="conflict">
      <Group justify="space-between" mb={4}>
        <Text fw={600}>
          {conflict.tableName}{' '}
          <Text span size="xs" c="dimmed">
            {conflict.rowId}
          </Text>
        </Text>
        <Group gap={6}>
          <Badge color="red">{conflict.reasonCode.replace(/_/g, ' ')}</Badge>
          <Text size="xs" c="dimmed">
            {formatDateTime(conflict.detectedAt)}
          </Text>
        </Group>
      </Group>
      <DataTable
        withTableBorder
        caption={`Values of ${conflict.tableName} ${conflict.rowId} on this workstation and on the server`}
        columns={[
          { key: 'field', header: 'Field', cell: (field) => field, td: { fw: 600 } },
          {
            key: 'local',
            header: 'This workstation',
            cell: (field) => show(local[field]),
            td: { 'data-testid': 'conflict-local' },
          },
          {
            key: 'server',
            header: 'Server',
            cell: (field) => show(server[field]),
            td: { 'data-testid': 'conflict-server' },
          },
          canResolve && {
            key: 'keep',
            header: 'Keep',
            cell: (field) => (
              <Radio.Group
                aria-label={`Keep which ${field}`}
                value={picks[field] ?? 'local'}
                onChange={(value) => {
                  setPicks({ ...picks, [field]: value === 'server' ? 'server' : 'local' });
                }}
              >
                <Group gap="xs">
                  <Radio value="local" label="This workstation" />
                  <Radio value="server" label="Server" />
                </Group>
              </Radio.Group>
            ),
          },
        ]}
        rows={fields}
        rowKey={(field) => field}
      />
      {canResolve ? (
        <Group mt="xs" gap="xs">
          <Button
            size="xs"
            variant="default"
            loading={resolve.isPending}
            onClick={() => {
              resolve.mutate({ id: conflict.id, choice: 'server' });
            }}
          >
            Keep the server's
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={resolve.isPending}
            onClick={() => {
              resolve.mutate({ id: conflict.id, choice: 'local' });
            }}
          >
            Keep this workstation's
          </Button>
          <Button
            size="xs"
            loading={resolve.isPending}
            onClick={() => {
              resolve.mutate({ id: conflict.id, choice: 'merged', values: merged() });
            }}
          >
            Save my choice per field
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}
