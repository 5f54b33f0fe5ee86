/** The pharmacy list's columns: patient and allergies, ward and bed, drug, last dose, actions. */
import { Badge, Button, Group, Text } from '@mantine/core';
import type { MaybeColumn } from '../../components/data-table';
import { formatDateTime, patientName } from '../../components/format';
import type { ActivePrescription } from './types';

// Allergy text must be read whole, never cut to "PENICILLIN (…" by a narrow column.
const WRAPPING_BADGE = {
  root: { height: 'auto', paddingBlock: 2, maxWidth: '100%' },
  label: { whiteSpace: 'normal', overflow: 'visible' },
} as const;

const DOSE_COLOURS: Record<string, string> = { given: 'green', held: 'yellow', refused: 'red' };

function PatientCell({ row }: { row: ActivePrescription }) {
  return (
    <>
      <Text size="sm" fw={600}>
        {patientName(row.patient)}
      </Text>
      <Text size="xs" c="dimmed">
        {row.patient.mrn}
      </Text>
      {row.patient.allergies.length > 0 ? (
        <Group gap={4} mt={2}>
          {row.patient.allergies.map((allergy) => (
            <Badge
              key={allergy.substance}
              size="sm"
              color="red"
              variant="filled"
              tt="none"
              styles={WRAPPING_BADGE}
            >
              Allergy: {allergy.substance}
              {allergy.severity ? ` (${allergy.severity})` : ''}
            </Badge>
          ))}
        </Group>
      ) : null}
    </>
  );
}

function StayCell({ row }: { row: ActivePrescription }) {
  if (!row.stay)
    return (
      <Text size="sm" c="dimmed">
        no stay
      </Text>
    );
  return (
    <>
      {row.stay.wardName}
      <Text size="xs">bed {row.stay.bedNumber ?? '–'}</Text>
      {row.stay.status !== 'admitted' ? (
        <Badge size="sm" color="orange">
          stay {row.stay.status}
        </Badge>
      ) : null}
    </>
  );
}

function DrugCell({ row }: { row: ActivePrescription }) {
  return (
    <>
      <Text size="sm" fw={600}>
        {row.drug}
      </Text>
      {row.allergyClashes.length > 0 ? (
        <Badge
          size="sm"
          color="red"
          variant="outline"
          tt="none"
          styles={WRAPPING_BADGE}
          data-testid="allergy-clash"
        >
          ⚠ matches allergy: {row.allergyClashes.join(', ')}
        </Badge>
      ) : null}
    </>
  );
}

function LastDoseCell({ row }: { row: ActivePrescription }) {
  if (!row.lastDose)
    return (
      <Text size="sm" c="dimmed">
        none yet
      </Text>
    );
  return (
    <>
      <Badge size="sm" color={DOSE_COLOURS[row.lastDose.status] ?? 'gray'}>
        {row.lastDose.status}
      </Badge>
      <Text size="xs">{formatDateTime(row.lastDose.administeredAt)}</Text>
    </>
  );
}

export interface PrescriptionActions {
  onDiscontinue: ((row: ActivePrescription) => void) | null;
  /** Only for those who may read charts; a pharmacist works from the list alone. */
  onOpenChart: ((row: ActivePrescription) => void) | null;
}

function ActionsCell({
  row,
  onDiscontinue,
  onOpenChart,
}: PrescriptionActions & { row: ActivePrescription }) {
  return (
    <Group gap={4} wrap="nowrap">
      {onOpenChart ? (
        <Button
          size="compact-sm"
          variant="light"
          aria-label={`Chart of ${patientName(row.patient)}`}
          onClick={() => {
            onOpenChart(row);
          }}
        >
          Chart
        </Button>
      ) : null}
      {onDiscontinue ? (
        <Button
          size="compact-sm"
          variant="light"
          color="red"
          aria-label={`Discontinue ${row.drug} for ${patientName(row.patient)}`}
          onClick={() => {
            onDiscontinue(row);
          }}
        >
          Discontinue…
        </Button>
      ) : null}
    </Group>
  );
}

export function prescriptionColumns(
  actions: PrescriptionActions,
): MaybeColumn<ActivePrescription>[] {
  return [
    { key: 'patient', header: 'Patient', cell: (row) => <PatientCell row={row} /> },
    { key: 'stay', header: 'Ward / bed', cell: (row) => <StayCell row={row} /> },
    { key: 'drug', header: 'Drug', cell: (row) => <DrugCell row={row} /> },
    { key: 'dose', header: 'Dose', cell: (row) => row.dose },
    { key: 'route', header: 'Route', cell: (row) => row.route },
    { key: 'frequency', header: 'Frequency', cell: (row) => row.frequency },
    { key: 'started', header: 'Started', cell: (row) => formatDateTime(row.startsAt) },
    { key: 'prescriber', header: 'Prescriber', cell: (row) => row.prescriberName ?? '–' },
    { key: 'last-dose', header: 'Last charted dose', cell: (row) => <LastDoseCell row={row} /> },
    (actions.onDiscontinue ?? actions.onOpenChart) && {
      key: 'actions',
      header: 'Actions',
      cell: (row) => <ActionsCell row={row} {...actions} />,
    },
  ];
}
