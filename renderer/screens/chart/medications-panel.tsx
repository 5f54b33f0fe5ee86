/** Prescriptions of the stay and the MAR: chart a due dose as given, held or refused. */
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useState } from 'react';
import { describeSchedule, isScheduled, parseFrequency } from '../../../shared/dose-schedule';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { useCan } from '../../session/use-session';
import { AdministerDoseModal, type DoseAction } from './administer-dose-modal';
import { PrescribeModal } from './prescribe-modal';
import type { Chart, ChartVisit } from './use-chart';
import { SendStateMark } from '../../components/send-state';

type Prescription = Chart['prescriptions'][number];

const OUTCOME_COLOURS: Record<string, string> = { given: 'green', held: 'yellow', refused: 'red' };
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
      <DataTable
        striped
        data-testid="prescriptions-table"
        caption="Prescriptions of this stay"
        columns={[
          {
            key: 'drug',
            header: 'Drug',
            cell: (prescription) => prescription.drug,
            td: { fw: 600 },
          },
          { key: 'dose', header: 'Dose', cell: (prescription) => prescription.dose },
          {
            key: 'frequency',
            header: 'Frequency',
            cell: (prescription) => <FrequencyCell frequency={prescription.frequency} />,
          },
          { key: 'route', header: 'Route', cell: (prescription) => prescription.route },
          {
            key: 'since',
            header: 'Since',
            cell: (prescription) => formatDateTime(prescription.startsAt),
          },
          {
            key: 'status',
            header: 'Status',
            cell: (prescription) => (
              <Group gap={4}>
                <Badge size="sm" color={prescription.status === 'active' ? 'green' : 'gray'}>
                  {prescription.status}
                </Badge>
                <SendStateMark id={prescription.id} state={prescription.sendState} />
                {prescription.status === 'active' ? (
                  <OwedBadge doses={dosesOf(prescription.id)} />
                ) : null}
              </Group>
            ),
          },
          canAdminister && {
            key: 'chart-dose',
            header: 'Chart a dose',
            cell: (prescription) =>
              prescription.status === 'active' ? (
                <DoseButtons
                  prescription={prescription}
                  doses={dosesOf(prescription.id)}
                  onChoose={setDose}
                />
              ) : null,
          },
        ]}
        rows={chart.prescriptions}
        rowKey={(prescription) => prescription.id}
        empty="No prescriptions in this stay."
      />
      {canSeeMar ? (
        <section aria-labelledby="mar-title">
          <Text fw={600} id="mar-title" mt="sm">
            Medication administration record
          </Text>
          <DataTable
            striped
            data-testid="mar-table"
            caption="Doses charted in this stay"
            columns={[
              { key: 'due', header: 'Due', cell: (entry) => formatDateTime(entry.scheduledFor) },
              {
                key: 'drug',
                header: 'Drug',
                cell: (entry) => drugOf.get(entry.prescriptionId)?.drug ?? '–',
              },
              {
                key: 'outcome',
                header: 'Outcome',
                cell: (entry) => (
                  <>
                    <Badge size="sm" color={OUTCOME_COLOURS[entry.status] ?? 'red'}>
                      {entry.status}
                    </Badge>
                    {entry.enteredInErrorBy ? ' (entered in error)' : ''}
                    <SendStateMark id={entry.id} state={entry.sendState} />
                  </>
                ),
              },
              { key: 'reason', header: 'Reason', cell: (entry) => entry.reason ?? '' },
              {
                key: 'wristband',
                header: 'Wristband',
                cell: (entry) =>
                  entry.wristbandCheck === 'skipped'
                    ? `not scanned: ${entry.wristbandSkipReason ?? ''}`
                    : (entry.wristbandCheck ?? '–'),
              },
              {
                key: 'charted',
                header: 'Charted',
                cell: (entry) => formatDateTime(entry.administeredAt),
              },
              { key: 'by', header: 'By', cell: (entry) => entry.administeredByName ?? '–' },
            ]}
            rows={chart.administrations}
            rowKey={(entry) => entry.id}
            rowProps={(entry) =>
              entry.enteredInErrorBy
                ? { style: { textDecoration: 'line-through', opacity: 0.6 } }
                : {}
            }
            empty="No doses charted in this stay."
          />
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
