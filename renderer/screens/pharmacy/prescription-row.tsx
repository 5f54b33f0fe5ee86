/** One active prescription on the pharmacy list: patient and allergies, drug, last dose, actions. */
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { formatDateTime, patientName } from '../../components/format';
import type { ActivePrescription } from './types';

// Allergy text must be read whole, never cut to "PENICILLIN (…" by a narrow column.
const WRAPPING_BADGE = {
  root: { height: 'auto', paddingBlock: 2, maxWidth: '100%' },
  label: { whiteSpace: 'normal', overflow: 'visible' },
} as const;

const DOSE_COLOURS: Record<string, string> = { given: 'green', held: 'yellow', refused: 'red' };

export function PrescriptionRow({
  row,
  onDiscontinue,
  onOpenChart,
}: {
  row: ActivePrescription;
  onDiscontinue: ((row: ActivePrescription) => void) | null;
  /** Only for those who may read charts; a pharmacist works from the list alone. */
  onOpenChart: (() => void) | null;
}) {
  const clash = row.allergyClashes.length > 0;
  return (
    <Table.Tr data-testid={`prescription-${row.id}`} data-clash={clash ? 'true' : undefined}>
      <Table.Td>
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
      </Table.Td>
      <Table.Td>
        {row.stay ? (
          <>
            {row.stay.wardName}
            <Text size="xs">bed {row.stay.bedNumber ?? '–'}</Text>
            {row.stay.status !== 'admitted' ? (
              <Badge size="sm" color="orange">
                stay {row.stay.status}
              </Badge>
            ) : null}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            no stay
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {row.drug}
        </Text>
        {clash ? (
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
      </Table.Td>
      <Table.Td>{row.dose}</Table.Td>
      <Table.Td>{row.route}</Table.Td>
      <Table.Td>{row.frequency}</Table.Td>
      <Table.Td>{formatDateTime(row.startsAt)}</Table.Td>
      <Table.Td>{row.prescriberName ?? '–'}</Table.Td>
      <Table.Td>
        {row.lastDose ? (
          <>
            <Badge size="sm" color={DOSE_COLOURS[row.lastDose.status] ?? 'gray'}>
              {row.lastDose.status}
            </Badge>
            <Text size="xs">{formatDateTime(row.lastDose.administeredAt)}</Text>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            none yet
          </Text>
        )}
      </Table.Td>
      {onDiscontinue || onOpenChart ? (
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            {onOpenChart ? (
              <Button
                size="compact-sm"
                variant="light"
                aria-label={`Chart of ${patientName(row.patient)}`}
                onClick={onOpenChart}
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
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}
