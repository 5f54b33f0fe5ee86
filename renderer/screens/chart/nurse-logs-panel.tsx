/** Nurse logs and handoff notes; a wrong entry is corrected by a new one that marks it in error. */
import {
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { getHotkeyHandler } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { NURSE_LOG_KINDS, NurseLogFieldsSchema } from '../../../shared/schemas/nurse-logs';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';
import { SendStateMark } from '../../components/send-state';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const NURSE_LOG_MAX = textLimit('nurse_logs', 'body');

const KIND_LABELS: Record<(typeof NURSE_LOG_KINDS)[number], string> = {
  observation: 'Observation',
  care_activity: 'Care activity',
  incident: 'Incident',
  note: 'Note',
  handoff: 'Handoff',
};

const NoteSchema = z.object({
  kind: NurseLogFieldsSchema.shape.kind,
  body: NurseLogFieldsSchema.shape.body,
});

export function NurseLogsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canWrite = useCan('nurse_logs:create') && visit.status === 'admitted';
  const [correcting, setCorrecting] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      {canWrite ? (
        <NoteForm
          visitId={visit.id}
          correcting={correcting}
          onDone={() => {
            setCorrecting(null);
          }}
        />
      ) : null}
      {chart.nurseLogs.length === 0 ? <Text c="dimmed">No entries in this stay.</Text> : null}
      {chart.nurseLogs.map((entry) => {
        const inError = entry.enteredInErrorBy !== null;
        return (
          <Paper key={entry.id} withBorder p="xs" style={inError ? { opacity: 0.6 } : undefined}>
            <Group justify="space-between">
              <Group gap={6}>
                <Badge
                  size="sm"
                  color={
                    entry.kind === 'handoff' ? 'grape' : entry.kind === 'incident' ? 'red' : 'blue'
                  }
                >
                  {KIND_LABELS[entry.kind]}
                </Badge>
                <Text size="xs" c="dimmed">
                  {formatDateTime(entry.recordedAt)} · {entry.recordedByName ?? 'unknown'}
                </Text>
                {inError ? (
                  <Badge size="xs" color="gray">
                    entered in error
                  </Badge>
                ) : null}
                {entry.enteredInErrorId ? (
                  <Badge size="xs" color="yellow">
                    correction
                  </Badge>
                ) : null}
                <SendStateMark id={entry.id} state={entry.sendState} />
              </Group>
              {canWrite && !inError ? (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => {
                    setCorrecting(entry.id);
                  }}
                >
                  Correct
                </Button>
              ) : null}
            </Group>
            <Text
              size="sm"
              style={{
                whiteSpace: 'pre-wrap',
                textDecoration: inError ? 'line-through' : undefined,
              }}
            >
              {entry.body}
            </Text>
          </Paper>
        );
      })}
    </Stack>
  );
}

function NoteForm({
  visitId,
  correcting,
  onDone,
}: {
  visitId: string;
  correcting: string | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const form = useForm({
    mode: 'controlled',
    initialValues: { kind: 'note' as (typeof NURSE_LOG_KINDS)[number], body: '' },
    validate: zodValidate(NoteSchema),
  });
  const options = {
    onSuccess: async () => {
      notifySaved(
        correcting
          ? 'Correction saved; the earlier entry is marked entered in error.'
          : 'Entry saved.',
      );
      form.reset();
      onDone();
      await refresh();
    },
    onError: notifyFailure,
  };
  const write = useMutation(trpc.nurseLogs.write.mutationOptions(options));
  const correct = useMutation(trpc.nurseLogs.correct.mutationOptions(options));
  const submit = form.onSubmit((values) => {
    if (correcting) correct.mutate({ enteredInErrorId: correcting, body: values.body });
    else write.mutate({ visitId, kind: values.kind, body: values.body });
  });
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          {correcting ? (
            <Text size="sm" fw={600}>
              Correcting an entry: write what it should have said.
            </Text>
          ) : (
            <SegmentedControl
              aria-label="Kind of entry"
              data={NURSE_LOG_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
              {...form.getInputProps('kind')}
            />
          )}
          <Textarea
            label={correcting ? 'Corrected text' : 'Entry'}
            description={`Ctrl+Enter saves. ${describeTextLimit(NURSE_LOG_MAX)}`}
            maxLength={NURSE_LOG_MAX}
            autosize
            minRows={2}
            onKeyDown={getHotkeyHandler([
              [
                'mod+Enter',
                () => {
                  submit();
                },
              ],
            ])}
            {...form.getInputProps('body')}
          />
          <Group justify="flex-end">
            {correcting ? (
              <Button variant="default" onClick={onDone}>
                Cancel
              </Button>
            ) : null}
            <Button type="submit" loading={write.isPending || correct.isPending}>
              Save entry
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
