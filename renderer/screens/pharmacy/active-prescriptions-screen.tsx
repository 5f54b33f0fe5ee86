/**
 * The pharmacist's view: every active prescription of the hospital by ward and bed, allergies
 * first, the last dose charted against each; discontinue one with a reason.
 */
import { Alert, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, useTRPC } from '../../trpc/client';
import { DiscontinueModal } from './discontinue-modal';
import { prescriptionColumns } from './prescription-columns';
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
      <DataTable
        striped
        verticalSpacing="xs"
        data-testid="active-prescriptions"
        caption="Active prescriptions by ward and bed, allergy clashes marked"
        columns={prescriptionColumns({
          onDiscontinue: canDiscontinue ? setDiscontinuing : null,
          onOpenChart: canOpenChart
            ? (row) => {
                openChart(row.patient.id, row.stay?.visitId ?? null);
              }
            : null,
        })}
        rows={rows}
        rowKey={(row) => row.id}
        rowProps={(row) => ({
          'data-testid': `prescription-${row.id}`,
          'data-clash': row.allergyClashes.length > 0 ? 'true' : undefined,
        })}
        empty={
          list.data
            ? wardId || search
              ? 'No active prescription matches these filters.'
              : 'No active prescriptions.'
            : null
        }
      />
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
