/**
 * "Records from other facilities": the patient's global EMR, one stay per promoted visit with
 * the hospital it came from. Read from the central server when the tab opens, in the reader's
 * name (the server audits it); offline the panel says so instead of showing stale copies.
 */
import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatDate } from '../../components/format';
import { describeFailure, useTRPCClient } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import { EmrValue, humanizeKey } from './emr-body';

type Answer = RouterOutputs['chart']['recordsElsewhere'];
type Stay = Extract<Answer, { state: 'answered' }>['entries'][number];

/** The clinical lists of a promoted record, in the order a reader looks for them. */
const LISTS = [
  'emrLocal',
  'vitals',
  'nurseLogs',
  'prescriptions',
  'medicationAdministrations',
  'labTests',
] as const;

export function RecordsElsewherePanel({ patientId }: { patientId: string }) {
  const client = useTRPCClient();
  const records = useQuery({
    queryKey: ['records-elsewhere', patientId],
    queryFn: () => client.chart.recordsElsewhere.mutate({ patientId }),
    // An offline answer is asked again as soon as the tab is opened again.
    staleTime: (query) => (query.state.data?.state === 'answered' ? 60_000 : 0),
    retry: false,
  });
  if (records.isPending) return <Loader aria-label="Reading records from other facilities" />;
  if (records.error)
    return (
      <Alert color="red" role="alert" title="Records from other facilities could not be read">
        {describeFailure(records.error)}
      </Alert>
    );
  const answer = records.data;
  if (answer.state === 'offline')
    return (
      <Alert color="yellow" title="Offline" data-testid="records-elsewhere-offline">
        {answer.message}
      </Alert>
    );
  return (
    <Stack gap="sm" data-testid="records-elsewhere">
      <Text fw={600}>Records from other facilities</Text>
      {answer.entries.length === 0 ? (
        <Text c="dimmed">No facility has shared a finished stay of this patient yet.</Text>
      ) : null}
      {answer.entries.map((stay) => (
        <StayRecord key={stay.visitId} stay={stay} />
      ))}
    </Stack>
  );
}

function StayRecord({ stay }: { stay: Stay }) {
  const visit = (stay.record.visit ?? {}) as Record<string, unknown>;
  const summary = typeof visit.dischargeSummary === 'string' ? visit.dischargeSummary : null;
  const source = stay.sourceHospitalName ?? 'Another facility';
  return (
    <Paper
      withBorder
      p="sm"
      component="article"
      aria-labelledby={`stay-${stay.visitId}`}
      data-testid="stay-elsewhere"
    >
      <Group gap="xs" mb={4}>
        <Title order={3} size="h5" id={`stay-${stay.visitId}`}>
          Stay {formatDate(stay.admittedAt)}
          {stay.dischargedAt ? ` – ${formatDate(stay.dischargedAt)}` : ''}
        </Title>
        <Badge variant="light" data-testid="stay-source">
          {source}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        Source hospital: {source} ({stay.sourceHospitalId})
      </Text>
      {summary ? (
        <Stack gap={2} mb="xs">
          <Text size="sm" fw={600}>
            Discharge summary
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {summary}
          </Text>
        </Stack>
      ) : null}
      {LISTS.map((list) => {
        const items = stay.record[list];
        if (!Array.isArray(items) || items.length === 0) return null;
        return (
          <details key={list}>
            <summary>
              <Text span size="sm">
                {humanizeKey(list)} ({items.length})
              </Text>
            </summary>
            <EmrValue value={items} depth={1} />
          </details>
        );
      })}
    </Paper>
  );
}
