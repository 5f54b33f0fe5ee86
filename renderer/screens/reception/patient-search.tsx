/** Find a patient by MRN, name (either order) or date of birth (YYYY-MM-DD). */
import { Alert, Badge, Button, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDate, patientName } from '../../components/format';
import { useCan } from '../../session/use-session';
import { openPatientMerge } from '../../stores/merge-store';
import type { PickedPatient } from '../../stores/reception-store';
import { describeFailure, useTRPC } from '../../trpc/client';
import { useRefreshOnPull } from '../sync/use-refresh-on-pull';

const picked = (patient: {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
}): PickedPatient => ({
  id: patient.id,
  mrn: patient.mrn,
  name: patientName(patient),
});

export type PatientAction = 'chart' | 'book' | 'admit';

export function PatientSearch({
  onAction,
}: {
  onAction: (action: PatientAction, patient: PickedPatient) => void;
}) {
  const canChart = useCan('emr:read');
  const canBook = useCan('appointments:manage');
  const canAdmit = useCan('visits:admit');
  const canMerge = useCan('patients:merge');
  const anyAction = canChart || canBook || canAdmit || canMerge;
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 200);
  const input = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => input.current?.focus()]]);
  const results = useQuery({
    ...trpc.patients.search.queryOptions({ query }),
    enabled: query.length > 0,
  });
  useRefreshOnPull(trpc.patients.search.queryKey());
  const queryClient = useQueryClient();
  // A wristband scanner types the MRN and Enter, like a keyboard: a scan that names exactly one
  // patient by MRN opens that patient's chart (issue 17).
  const openScanned = async (scanned: string) => {
    const mrn = scanned.trim().toUpperCase();
    if (!canChart || mrn === '') return;
    const found = await queryClient.query(trpc.patients.search.queryOptions({ query: mrn }));
    const matches = found.filter(
      (patient) => patient.mrn === mrn || patient.alsoKnownAs.includes(mrn),
    );
    const [only] = matches;
    if (only && matches.length === 1) onAction('chart', picked(only));
  };

  return (
    <section aria-labelledby="patient-search-title">
      <Text component="h3" fw={600} id="patient-search-title" mb={4}>
        Find a patient
      </Text>
      <TextInput
        ref={input}
        label="MRN, name or date of birth"
        description="Press / to jump here. Date of birth as YYYY-MM-DD."
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void openScanned(event.currentTarget.value);
        }}
        w={420}
      />
      {results.error ? (
        <Alert color="red" mt="sm" role="alert">
          {describeFailure(results.error)}
        </Alert>
      ) : null}
      {results.data ? (
        results.data.length === 0 ? (
          <Text mt="sm" c="dimmed" role="status">
            No patient matches “{query}”.
          </Text>
        ) : (
          <DataTable
            mt="sm"
            striped
            highlightOnHover
            data-testid="patient-results"
            caption={`Patients matching “${query}”`}
            columns={[
              {
                key: 'mrn',
                header: 'MRN',
                // A merged record's MRN still finds the person; it is shown as "also".
                cell: (patient) => (
                  <>
                    {patient.mrn}
                    {patient.alsoKnownAs.length > 0 ? (
                      <Text size="xs" c="gray.7" data-testid="also-known-as">
                        also {patient.alsoKnownAs.join(', ')}
                      </Text>
                    ) : null}
                  </>
                ),
              },
              {
                key: 'name',
                header: 'Name',
                cell: (patient) => (
                  <Group gap={6}>
                    {patientName(patient)}
                    {patient.allergies.length > 0 ? (
                      <Badge color="red" size="xs">
                        Allergies
                      </Badge>
                    ) : null}
                  </Group>
                ),
              },
              {
                key: 'born',
                header: 'Date of birth',
                cell: (patient) => formatDate(patient.dateOfBirth),
              },
              { key: 'sex', header: 'Sex', cell: (patient) => patient.sex },
              { key: 'phone', header: 'Phone', cell: (patient) => patient.phone ?? '–' },
              {
                key: 'where',
                header: 'Where',
                cell: (patient) =>
                  patient.activeVisit
                    ? `${patient.activeVisit.wardName}, bed ${patient.activeVisit.bedNumber ?? '–'}`
                    : 'Not admitted',
              },
              anyAction && {
                key: 'actions',
                header: 'Actions',
                cell: (patient) => (
                  <Group gap={4} wrap="nowrap">
                    {canChart ? (
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => {
                          onAction('chart', picked(patient));
                        }}
                      >
                        Chart
                      </Button>
                    ) : null}
                    {canBook ? (
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => {
                          onAction('book', picked(patient));
                        }}
                      >
                        Book
                      </Button>
                    ) : null}
                    {canMerge ? (
                      <Button
                        size="compact-sm"
                        variant="light"
                        aria-label={`Merge MRN ${patient.mrn} with another record`}
                        onClick={() => {
                          openPatientMerge(patient.id);
                        }}
                      >
                        Merge…
                      </Button>
                    ) : null}
                    {canAdmit && !patient.activeVisit ? (
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => {
                          onAction('admit', picked(patient));
                        }}
                      >
                        Admit
                      </Button>
                    ) : null}
                  </Group>
                ),
              },
            ]}
            rows={results.data}
            rowKey={(patient) => patient.id}
          />
        )
      ) : null}
    </section>
  );
}
