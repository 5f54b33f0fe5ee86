/**
 * The visit's local EMR record: each entry's JSON body read as a document (keys as headings,
 * text as text, arrays as lists), never as raw JSON. Doctors add an entry (`emr:write`).
 */
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { useCan } from '../../session/use-session';
import { AddEntryModal } from './add-emr-entry-modal';
import { EmrValue, humanizeKey } from './emr-body';
import { EMR_KIND_LABELS, type EmrKind } from './emr-kinds';
import type { Chart, ChartVisit } from './use-chart';
import { SendStateMark } from '../../components/send-state';

export function EmrRecordPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canWrite = useCan('emr:write') && visit.status === 'admitted';
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="sm" data-testid="emr-record">
      <Group justify="space-between">
        <Text fw={600}>EMR record of this stay</Text>
        {canWrite ? (
          <Button
            onClick={() => {
              setAdding(true);
            }}
          >
            Add to the record
          </Button>
        ) : null}
      </Group>
      {chart.emrRecords.length === 0 ? (
        <Text c="dimmed">Nothing has been written in this stay&apos;s record yet.</Text>
      ) : null}
      {chart.emrRecords.map((entry) => (
        <Paper
          key={entry.id}
          withBorder
          p="sm"
          component="article"
          aria-labelledby={`emr-${entry.id}`}
        >
          <Group gap="xs" mb={4}>
            <Title order={3} size="h5" id={`emr-${entry.id}`}>
              {kindLabel(entry.kind)}
            </Title>
            <Text size="xs" c="dimmed">
              {formatDateTime(entry.createdAt)}
              {entry.writtenByName ? ` · ${entry.writtenByName}` : ''}
              <SendStateMark id={entry.id} state={entry.sendState} />
            </Text>
          </Group>
          <EmrValue value={entry.body} depth={0} />
        </Paper>
      ))}
      {adding ? (
        <AddEntryModal
          visitId={visit.id}
          onClose={() => {
            setAdding(false);
          }}
        />
      ) : null}
    </Stack>
  );
}

function kindLabel(kind: string): string {
  return Object.hasOwn(EMR_KIND_LABELS, kind)
    ? EMR_KIND_LABELS[kind as EmrKind]
    : humanizeKey(kind);
}
