import { LineChart } from '@mantine/charts';
import { Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { VitalValue } from '../../components/vital-signs';
import { Can } from '../../components/can';
import { useCan } from '../../session/use-session';
import { RecordVitalsModal, type VitalsCorrection } from './record-vitals-modal';
import type { Chart, ChartVisit } from './use-chart';
import { SendStateMark } from '../../components/send-state';

type Entry = Chart['vitals'][number];

export function VitalsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canRecord = useCan('vitals:create') && visit.status === 'admitted';
  const [modal, setModal] = useState<{ correcting: VitalsCorrection | null } | null>(null);
  useHotkeys(
    [
      [
        'alt+V',
        () => {
          if (canRecord) setModal({ correcting: null });
        },
      ],
    ],
    [],
  );
  const current = chart.vitals.filter((entry) => entry.enteredInErrorBy === null);
  const trend = [...current].reverse().map((entry) => ({
    time: formatDateTime(entry.recordedAt),
    HR: entry.heartRate,
    Systolic: entry.systolic,
    RR: entry.respiratoryRate,
    SpO2: entry.spo2,
    Temp: entry.temperatureC,
  }));

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Vital signs</Text>
        {canRecord ? (
          <Button
            onClick={() => {
              setModal({ correcting: null });
            }}
            title="Alt+V"
          >
            Record vitals (Alt+V)
          </Button>
        ) : null}
      </Group>
      {trend.length > 1 ? (
        <Group grow align="flex-start" mb="sm">
          <Paper withBorder p="xs">
            <Text size="xs" c="dimmed">
              Heart rate, systolic BP, respirations, SpO₂
            </Text>
            <LineChart
              h={150}
              data={trend}
              dataKey="time"
              withLegend
              connectNulls
              series={[
                { name: 'HR', color: 'red.7' },
                { name: 'Systolic', color: 'blue.7' },
                { name: 'RR', color: 'teal.7' },
                { name: 'SpO2', color: 'violet.7' },
              ]}
            />
          </Paper>
          <Paper withBorder p="xs" maw={360}>
            <Text size="xs" c="dimmed">
              Temperature °C
            </Text>
            <LineChart
              h={150}
              data={trend}
              dataKey="time"
              connectNulls
              yAxisProps={{ domain: [35, 41] }}
              series={[{ name: 'Temp', color: 'orange.7' }]}
            />
          </Paper>
        </Group>
      ) : null}
      <Table striped data-testid="vitals-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>T °C</Table.Th>
            <Table.Th>HR</Table.Th>
            <Table.Th>BP</Table.Th>
            <Table.Th>RR</Table.Th>
            <Table.Th>SpO₂</Table.Th>
            <Table.Th>Wt / BMI</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chart.vitals.map((entry) => (
            <VitalsRow
              key={entry.id}
              entry={entry}
              canCorrect={canRecord}
              onCorrect={(correcting) => {
                setModal({ correcting });
              }}
            />
          ))}
        </Table.Tbody>
      </Table>
      {chart.vitals.length === 0 ? <Text c="dimmed">No vitals recorded in this stay.</Text> : null}
      {modal ? (
        <RecordVitalsModal
          visitId={visit.id}
          correcting={modal.correcting}
          opened
          onClose={() => {
            setModal(null);
          }}
        />
      ) : null}
    </>
  );
}

function VitalsRow({
  entry,
  canCorrect,
  onCorrect,
}: {
  entry: Entry;
  canCorrect: boolean;
  onCorrect: (c: VitalsCorrection) => void;
}) {
  const inError = entry.enteredInErrorBy !== null;
  const flags = entry.abnormal;
  return (
    <Table.Tr
      style={inError ? { textDecoration: 'line-through', opacity: 0.6 } : undefined}
      data-abnormal={flags.length > 0 ? 'true' : undefined}
    >
      <Table.Td>
        {formatDateTime(entry.recordedAt)}
        {inError ? (
          <Badge size="xs" color="gray" ml={4}>
            entered in error
          </Badge>
        ) : null}
        {entry.enteredInErrorId ? (
          <Badge size="xs" color="yellow" ml={4}>
            correction
          </Badge>
        ) : null}
        <SendStateMark id={entry.id} state={entry.sendState} />
      </Table.Td>
      <Table.Td>
        <VitalValue sign="temperatureC" value={entry.temperatureC} flags={flags} />
      </Table.Td>
      <Table.Td>
        <VitalValue sign="heartRate" value={entry.heartRate} flags={flags} />
      </Table.Td>
      <Table.Td>
        <VitalValue sign="systolic" value={entry.systolic} flags={flags} />/
        <VitalValue sign="diastolic" value={entry.diastolic} flags={flags} />
      </Table.Td>
      <Table.Td>
        <VitalValue sign="respiratoryRate" value={entry.respiratoryRate} flags={flags} />
      </Table.Td>
      <Table.Td>
        <VitalValue sign="spo2" value={entry.spo2} flags={flags} />
      </Table.Td>
      <Table.Td>
        {entry.weightKg ?? '–'}
        {entry.bmi ? ` / ${String(entry.bmi)}` : ''}
      </Table.Td>
      <Table.Td>{entry.recordedByName ?? '–'}</Table.Td>
      <Table.Td>
        {canCorrect && !inError ? (
          <Can permission="vitals:create">
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => {
                onCorrect({ id: entry.id, readings: entry });
              }}
            >
              Correct
            </Button>
          </Can>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}
