/** The merge screen opened on one record: find the other record of the same person. */
import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDate, patientName } from '../../components/format';
import { describeFailure, useTRPC } from '../../trpc/client';

export function ChooseOtherRecord(props: { firstId: string; onChosen: (id: string) => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 200);
  const results = useQuery({
    ...trpc.patients.search.queryOptions({ query }),
    enabled: query.length > 0,
  });
  const others = (results.data ?? []).filter((patient) => patient.id !== props.firstId);
  return (
    <Stack gap="sm">
      <Text>Find the other record of the same person to compare the two.</Text>
      <TextInput
        label="Other record: MRN, name or date of birth"
        value={text}
        data-autofocus
        onChange={(event) => {
          setText(event.currentTarget.value);
        }}
        w={420}
      />
      {results.error ? <Text c="red.9">{describeFailure(results.error)}</Text> : null}
      {results.data ? (
        <DataTable
          data-testid="merge-candidates"
          caption={`Records matching “${query}”`}
          columns={[
            { key: 'mrn', header: 'MRN', cell: (patient) => patient.mrn },
            { key: 'name', header: 'Name', cell: (patient) => patientName(patient) },
            {
              key: 'born',
              header: 'Date of birth',
              cell: (patient) => formatDate(patient.dateOfBirth),
            },
            {
              key: 'choose',
              header: 'Compare',
              cell: (patient) => (
                <Button
                  size="compact-sm"
                  variant="light"
                  aria-label={`Compare with MRN ${patient.mrn}`}
                  onClick={() => {
                    props.onChosen(patient.id);
                  }}
                >
                  Compare
                </Button>
              ),
            },
          ]}
          rows={others}
          rowKey={(patient) => patient.id}
          empty={`No other record matches “${query}”.`}
        />
      ) : null}
    </Stack>
  );
}
