/**
 * One same-field conflict: both values side by side. Keep the server's, keep this
 * workstation's, or pick per field and save the merge.
 */
import { Badge, Button, Group, Paper, Radio, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>This workstation</Table.Th>
            <Table.Th>Server</Table.Th>
            {canResolve ? <Table.Th>Keep</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => (
            <Table.Tr key={field}>
              <Table.Td fw={600}>{field}</Table.Td>
              <Table.Td data-testid="conflict-local">{show(local[field])}</Table.Td>
              <Table.Td data-testid="conflict-server">{show(server[field])}</Table.Td>
              {canResolve ? (
                <Table.Td>
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
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
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
