/**
 * One conflict in clinical words: whose record and where, each field by its label with both
 * values as people read them, who made each and when, and the choices the reason allows (keep
 * the server's, keep this workstation's, or pick per field). Radios and buttons: keyboard-usable.
 */
import { Badge, Button, Group, Paper, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useReauth } from '../../session/reauth-dialog';
import { failureCode, useTRPCClient } from '../../trpc/client';
import type { RouterInputs, RouterOutputs } from '../../trpc/types';

type Conflict = RouterOutputs['sync']['conflicts'][number];

const CHOICE_LABELS = {
  server: "Keep the server's",
  local: "Keep this workstation's",
  merged: 'Save my choice per field',
} as const;

/** "Nina Patel, 23 Nov 08:04", or as much of it as is known. */
function madeBy(by: string | null, at: string | null): string {
  const parts = [by, at ? formatDateTime(at) : null].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'not known';
}

type ResolveInput = RouterInputs['sync']['resolveConflict'];

export function ConflictCard({ conflict }: { conflict: Conflict }) {
  const queryClient = useQueryClient();
  const canResolve = useCan('sync:resolve');
  const [picks, setPicks] = useState<Record<string, 'local' | 'server'>>(() =>
    Object.fromEntries(conflict.fields.map((f) => [f.field, 'local'])),
  );
  const client = useTRPCClient();
  const reauth = useReauth();
  // Discarding another person's value asks for the password again (main says when it does).
  const resolve = useMutation({
    mutationFn: async (input: ResolveInput) => {
      try {
        return await client.sync.resolveConflict.mutate(input);
      } catch (error) {
        if (failureCode(error) !== 'reauth_required') throw error;
        const reauthProof = await reauth('conflict.discard');
        return reauthProof ? client.sync.resolveConflict.mutate({ ...input, reauthProof }) : null;
      }
    },
    onSuccess: async (resolved) => {
      if (!resolved) return;
      notifySaved('Conflict resolved.');
      await queryClient.invalidateQueries();
    },
    onError: notifyFailure,
  });
  const perField = conflict.choices.includes('merged') && conflict.fields.length > 1;
  const headingId = `conflict-${conflict.id}`;
  const subject = `${conflict.record}${conflict.patient ? ` of ${conflict.patient}` : ''}`;
  const single = conflict.choices.length === 1;
  return (
    <Paper withBorder p="sm" component="article" aria-labelledby={headingId} data-testid="conflict">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={700} component="h4" size="md" m={0} id={headingId}>
              {subject}
            </Text>
            {conflict.place ? (
              <Text size="sm" c="dimmed">
                {conflict.place}
              </Text>
            ) : null}
          </div>
          <Group gap={6} wrap="nowrap">
            <Badge color="red">{conflict.reasonTitle}</Badge>
            <Text size="xs" c="dimmed">
              {formatDateTime(conflict.detectedAt)}
            </Text>
          </Group>
        </Group>
        <Text size="sm">{conflict.explanation}</Text>
        <DataTable
          withTableBorder
          caption={`${subject}: the values on this workstation and on the server`}
          columns={[
            { key: 'field', header: 'Field', cell: (field) => field.label, td: { fw: 600 } },
            {
              key: 'local',
              header: `This workstation (${madeBy(conflict.localBy, conflict.localAt)})`,
              cell: (field) => field.local,
              td: { 'data-testid': 'conflict-local' },
            },
            {
              key: 'server',
              header: `Server (${madeBy(conflict.serverBy, conflict.serverAt)})`,
              cell: (field) => field.server,
              td: { 'data-testid': 'conflict-server' },
            },
            canResolve &&
              perField && {
                key: 'keep',
                header: 'Keep',
                cell: (field) => (
                  <Radio.Group
                    aria-label={`Keep which ${field.label}`}
                    value={picks[field.field] ?? 'local'}
                    onChange={(value) => {
                      setPicks({
                        ...picks,
                        [field.field]: value === 'server' ? 'server' : 'local',
                      });
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
          rows={conflict.fields}
          rowKey={(field) => field.field}
        />
        {canResolve ? (
          <Group gap="xs">
            {conflict.choices
              .filter((choice) => choice !== 'merged' || perField)
              .map((choice) => (
                <Button
                  key={choice}
                  size="xs"
                  variant={choice === 'merged' || single ? 'filled' : 'default'}
                  loading={resolve.isPending}
                  onClick={() => {
                    resolve.mutate(
                      choice === 'merged'
                        ? { id: conflict.id, choice, picks }
                        : { id: conflict.id, choice },
                    );
                  }}
                >
                  {single && choice === 'server'
                    ? 'Understood: keep the server’s'
                    : CHOICE_LABELS[choice]}
                </Button>
              ))}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
