/** Prescriptions of the stay and the MAR: chart a due dose as given, held or refused. */
import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useState } from 'react';
import { describeSchedule, isScheduled, parseFrequency } from '../../../shared/dose-schedule';
import { formatDateTime } from '../../components/format';
import { useCan } from '../../session/use-session';
import { AdministerDoseModal, type DoseAction } from './administer-dose-modal';
import { PrescribeModal } from './prescribe-modal';
import type { Chart, ChartVisit } from './use-chart';

type Prescription = Chart['prescriptions'][number];
type ScheduledDose = Chart['scheduledDoses'][number];

/** The frequency as written, and how Wardline reads it (times, "as needed" or "check frequency"). */
function FrequencyCell({ frequency }: { frequency: string }) {
  const schedule = parseFrequency(frequency);
  return (
    <>
      <Text size="sm">{frequency}</Text>
      <Text
        size="xs"
        c={schedule.kind === 'unscheduled' ? 'red.9' : 'dimmed'}
        fw={schedule.kind === 'unscheduled' ? 600 : undefined}
      >
        {describeSchedule(schedule)}
      </Text>
    </>
  );
}

/** The earliest dose owed now for this prescription, marked overdue in words, not colour alone. */
function OwedBadge({ doses }: { doses: readonly ScheduledDose[] }) {
  const owed = doses.find((dose) => dose.state === 'overdue' || dose.state === 'due');
  if (!owed) return null;
  const overdue = owed.state === 'overdue';
  return (
    <Badge
      size="sm"
      color={overdue ? 'red' : 'indigo'}
      variant={overdue ? 'filled' : 'light'}
      tt="none"
      data-testid="dose-owed"
    >
      {overdue ? 'Overdue' : 'Due'} {dayjs(owed.scheduledFor).format('HH:mm')}
    </Badge>
  );
}

export function MedicationsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canSeeMar = useCan('mar:read');
  const canAdminister = useCan('mar:administer') && visit.status === 'admitted';
  const canPrescribe = useCan('prescriptions:create') && visit.status === 'admitted';
  const [dose, setDose] = useState<DoseAction | null>(null);
  const [prescribing, setPrescribing] = useState(false);
  const drugOf = new Map(chart.prescriptions.map((p) => [p.id, p]));
  const dosesOf = (prescriptionId: string) =>
    chart.scheduledDoses.filter((dose) => dose.prescriptionId === prescriptionId);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600}>Prescriptions</Text>
        {canPrescribe ? (
          <Button
            onClick={() => {
              setPrescribing(true);
            }}
          >
            Prescribe
          </Button>
        ) : null}
      </Group>
      <Table striped data-testid="prescriptions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Drug</Table.Th>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Frequency</Table.Th>
            <Table.Th>Route</Table.Th>
            <Table.Th>Since</Table.Th>
            <Table.Th>Status</Table.Th>
            {canAdminister ? <Table.Th>Chart a dose</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chart.prescriptions.map((prescription) => (
            <Table.Tr key={prescription.id}>
              <Table.Td fw={600}>{prescription.drug}</Table.Td>
              <Table.Td>{prescription.dose}</Table.Td>
              <Table.Td>
                <FrequencyCell frequency={prescription.frequency} />
              </Table.Td>
              <Table.Td>{prescription.route}</Table.Td>
              <Table.Td>{formatDateTime(prescription.startsAt)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge size="sm" color={prescription.status === 'active' ? 'green' : 'gray'}>
                    {prescription.status}
                  </Badge>
                  {prescription.status === 'active' ? (
                    <OwedBadge doses={dosesOf(prescription.id)} />
                  ) : null}
                </Group>
              </Table.Td>
              {canAdminister ? (
                <Table.Td>
                  {prescription.status === 'active' ? (
                    <DoseButtons
                      prescription={prescription}
                      doses={dosesOf(prescription.id)}
                      onChoose={setDose}
                    />
                  ) : null}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {chart.prescriptions.length === 0 ? (
        <Text c="dimmed">No prescriptions in this stay.</Text>
      ) : null}
      {canSeeMar ? (
        <section aria-labelledby="mar-title">
          <Text fw={600} id="mar-title" mt="sm">
            Medication administration record
          </Text>
          <Table striped data-testid="mar-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Due</Table.Th>
                <Table.Th>Drug</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Charted</Table.Th>
                <Table.Th>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {chart.administrations.map((entry) => (
                <Table.Tr
                  key={entry.id}
                  style={
                    entry.enteredInErrorBy
                      ? { textDecoration: 'line-through', opacity: 0.6 }
                      : undefined
                  }
                >
                  <Table.Td>{formatDateTime(entry.scheduledFor)}</Table.Td>
                  <Table.Td>{drugOf.get(entry.prescriptionId)?.drug ?? '–'}</Table.Td>
                  <Table.Td>
                    <Badge
                      size="sm"
                      color={
                        entry.status === 'given'
                          ? 'green'
                          : entry.status === 'held'
                            ? 'yellow'
                            : 'red'
                      }
                    >
                      {entry.status}
                    </Badge>
                    {entry.enteredInErrorBy ? ' (entered in error)' : ''}
                  </Table.Td>
                  <Table.Td>{entry.reason ?? ''}</Table.Td>
                  <Table.Td>{formatDateTime(entry.administeredAt)}</Table.Td>
                  <Table.Td>{entry.administeredByName ?? '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {chart.administrations.length === 0 ? (
            <Text c="dimmed">No doses charted in this stay.</Text>
          ) : null}
        </section>
      ) : null}
      {dose ? (
        <AdministerDoseModal
          action={dose}
          onClose={() => {
            setDose(null);
          }}
        />
      ) : null}
      {prescribing ? (
        <PrescribeModal
          visitId={visit.id}
          onClose={() => {
            setPrescribing(false);
          }}
        />
      ) : null}
    </Stack>
  );
}

function DoseButtons({
  prescription,
  doses,
  onChoose,
}: {
  prescription: Prescription;
  doses: ScheduledDose[];
  onChoose: (action: DoseAction) => void;
}) {
  const choose = (status: DoseAction['status']) => () => {
    onChoose({
      prescriptionId: prescription.id,
      drug: `${prescription.drug} ${prescription.dose}`,
      status,
      // PRN and unreadable frequencies have no schedule: the modal offers a free choice of hour.
      doses: isScheduled(parseFrequency(prescription.frequency)) ? doses : [],
    });
  };
  return (
    <Group gap={4} wrap="nowrap">
      <Button
        size="compact-sm"
        color="green"
        onClick={choose('given')}
        aria-label={`Give ${prescription.drug}`}
      >
        Give
      </Button>
      <Button
        size="compact-sm"
        color="yellow"
        variant="light"
        onClick={choose('held')}
        aria-label={`Hold ${prescription.drug}`}
      >
        Hold
      </Button>
      <Button
        size="compact-sm"
        color="red"
        variant="light"
        onClick={choose('refused')}
        aria-label={`Refused: ${prescription.drug}`}
      >
        Refused
      </Button>
    </Group>
  );
}
