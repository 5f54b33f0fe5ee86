/**
 * The pharmacist's view: every active prescription of the hospital by ward and bed, allergies
 * first, the last dose charted against each; discontinue one with a reason.
 */
import { Alert, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, useTRPC } from '../../trpc/client';
import { DiscontinueModal } from './discontinue-modal';
import { PrescriptionRow } from './prescription-row';
import type { ActivePrescription } from './types';

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
