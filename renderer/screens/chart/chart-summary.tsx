import { Alert, Badge, Group, Paper, Text, Title } from '@mantine/core';
import {
  ageInYears,
  dayOfStay,
  formatDate,
  formatDateTime,
  patientName,
} from '../../components/format';
import type { Chart } from './use-chart';

/** Who this is and where, with allergies impossible to miss. */
export function ChartSummary({ chart }: { chart: Chart }) {
  const { patient, visit } = chart;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2} size="h3" data-testid="chart-patient">
            {patientName(patient)}
          </Title>
          <Text size="sm">
            {patient.mrn} · born {formatDate(patient.dateOfBirth)} (
            {ageInYears(patient.dateOfBirth)} y) · {patient.sex}
          </Text>
          {visit ? (
            <Text size="sm">
              {visit.status === 'admitted' ? (
                <>
                  {visit.wardName}, bed {visit.bedNumber ?? '–'} · day {dayOfStay(visit.admittedAt)}{' '}
                  · admitted {formatDateTime(visit.admittedAt)}
                </>
              ) : (
                <>
                  {visit.status} · {visit.wardName} · admitted {formatDateTime(visit.admittedAt)}
                  {visit.dischargedAt ? `, discharged ${formatDateTime(visit.dischargedAt)}` : ''}
                </>
              )}
              {visit.admissionReason ? ` · ${visit.admissionReason}` : ''}
            </Text>
          ) : null}
        </div>
        {visit ? (
          <Badge color={visit.status === 'admitted' ? 'blue' : 'gray'} size="lg">
            {visit.status}
          </Badge>
        ) : null}
      </Group>
      {patient.allergies.length > 0 ? (
        <Alert color="red" variant="filled" mt="sm" title="Allergies" data-testid="chart-allergies">
          {patient.allergies
            .map((allergy) =>
              [allergy.substance, allergy.reaction, allergy.severity].filter(Boolean).join(' – '),
            )
            .join('; ')}
        </Alert>
      ) : (
        <Text size="sm" mt="xs" c="dimmed">
          No known allergies recorded.
        </Text>
      )}
    </Paper>
  );
}
