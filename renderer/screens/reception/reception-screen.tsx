import { Stack, Title } from '@mantine/core';
import { PatientSearch } from './patient-search';

export function ReceptionScreen() {
  return (
    <Stack gap="lg">
      <Title order={2}>Reception</Title>
      <PatientSearch />
    </Stack>
  );
}
