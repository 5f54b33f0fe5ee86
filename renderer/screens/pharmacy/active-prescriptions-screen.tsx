/**
 * The pharmacist's view: every active prescription of the hospital by ward and bed, allergies
 * first, the last dose charted against each; discontinue one with a reason.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime, patientName } from '../../components/format';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, useTRPC } from '../../trpc/client';
import { DiscontinueModal } from './discontinue-modal';
import type { ActivePrescription } from './types';

// Allergy text must be read whole, never cut to "PENICILLIN (…" by a narrow column.
const WRAPPING_BADGE = {
  root: { height: 'auto', paddingBlock: 2, maxWidth: '100%' },
  label: { whiteSpace: 'normal', overflow: 'visible' },
} as const;

const DOSE_COLOURS: Record<string, string> = { given: 'green', held: 'yellow', refused: 'red' };

export function ActivePrescriptionsScreen() {
  const trpc = useTRPC();
  const canDiscontinue = useCan('prescriptions:update');
  const canOpenChart = useCan('emr:read');
  const openChart = useNavStore((state) => state.openChart);
  const wards = useQuery(trpc.wards.list.queryOptions());
  const [wardId, setWardId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 200);
  const list = useQuery({
    ...trpc.prescriptions.listActive.queryOptions({
      ...(wardId ? { wardId } : {}),
      ...(search ? { search } : {}),
    }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const [discontinuing, setDiscontinuing] = useState<ActivePrescription | null>(null);
  const rows = list.data?.prescriptions ?? [];
  const clashes = rows.filter((row) => row.allergyClashes.length > 0).length;

  return (
    <Stack gap="sm" component="section" aria-labelledby="pharmacy-title">
      <Group justify="space-between" align="flex-end">
        <Title order={2} id="pharmacy-title">
          Active prescriptions
        </Title>
        <Group align="flex-end">
          <Select
            label="Ward"
            w={220}
            clearable
            placeholder="All wards"
            data={(wards.data ?? []).map((ward) => ({ value: ward.id, label: ward.name }))}
            value={wardId}
            onChange={setWardId}
          />
          <TextInput
            label="Drug, patient or MRN"
            w={260}
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
            }}
          />
        </Group>
      </Group>
      {(list.error ?? wards.error) ? (
        <Alert color="red" role="alert">
          {describeFailure(list.error ?? wards.error)}
        </Alert>
      ) : null}
      {clashes > 0 ? (
        <Alert color="red" title="Possible allergy clash" data-testid="allergy-clash-summary">
          {clashes === 1 ? 'One prescription names' : `${String(clashes)} prescriptions name`} a
          drug that matches the patient&apos;s recorded allergy. Check before the next dose.
        </Alert>
      ) : null}
      {list.isPending ? <Loader aria-label="Loading prescriptions" /> : null}
      <Table striped data-testid="active-prescriptions" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Ward / bed</Table.Th>
            <Table.Th>Drug</Table.Th>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Route</Table.Th>
            <Table.Th>Frequency</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Prescriber</Table.Th>
            <Table.Th>Last charted dose</Table.Th>
            {canDiscontinue || canOpenChart ? <Table.Th>Actions</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <PrescriptionRow
              key={row.id}
              row={row}
              onDiscontinue={canDiscontinue ? setDiscontinuing : null}
              onOpenChart={
                canOpenChart
                  ? () => {
                      openChart(row.patient.id, row.stay?.visitId ?? null);
                    }
                  : null
              }
            />
          ))}
        </Table.Tbody>
      </Table>
      {list.data && rows.length === 0 ? (
        <Text c="dimmed">
          {wardId || search
            ? 'No active prescription matches these filters.'
            : 'No active prescriptions.'}
        </Text>
      ) : null}
      {list.data?.truncated ? (
        <Text size="sm" c="orange.9">
          Showing the first {rows.length} prescriptions. Choose a ward or type a drug or patient to
          see the rest.
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        The allergy marker is a hint, not a check: it appears when the drug name and a recorded
        allergy contain one another (Ibuprofen and &quot;ibuprofen&quot;), and misses related drugs
        (Amoxicillin for a penicillin allergy).
      </Text>
      {discontinuing ? (
        <DiscontinueModal
          prescription={discontinuing}
          onClose={() => {
            setDiscontinuing(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

function PrescriptionRow({
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
