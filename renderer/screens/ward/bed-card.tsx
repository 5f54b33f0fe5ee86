import { Badge, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { VitalsLine } from '../../components/vital-signs';
import { ageInYears, dayOfStay, fromNow, patientName } from '../../components/format';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import type { RouterOutputs } from '../../trpc/types';
import { URGENCY_BADGES } from '../alerts/use-alerts';
import { BedOrders } from './bed-orders';

type Bed = RouterOutputs['wardBoard']['get']['beds'][number];

const STATUS_COLOURS: Record<string, string> = {
  available: 'green',
  occupied: 'blue',
  maintenance: 'gray',
  reserved: 'yellow',
};

/**
 * Open clinical alerts of the bed or its patient: words and the sign say it (not colour alone),
 * inside the card's button so its accessible name reads them with the patient.
 */
function BedAlerts({ alerts }: { alerts: Bed['alerts'] }) {
  if (alerts.length === 0) return null;
  const urgent = alerts.some((alert) => alert.urgency === 'act_now');
  const titles = [...new Set(alerts.map((alert) => alert.title))].join(', ');
  return (
    <Badge
      {...URGENCY_BADGES[urgent ? 'act_now' : 'sort_out']}
      variant="filled"
      size="sm"
      data-testid="bed-alert"
      title={titles}
      styles={{ label: { textTransform: 'none' } }}
    >
      ⚠ Alert: {titles}
    </Badge>
  );
}

export function BedCard({ bed }: { bed: Bed }) {
  const openChart = useNavStore((state) => state.openChart);
  const canOpenChart = useCan('emr:read');
  const stay = bed.occupant;
  const header = (
    <Group justify="space-between" wrap="nowrap">
      <Text fw={700}>Bed {bed.number}</Text>
      <Badge size="sm" variant="light" color={STATUS_COLOURS[bed.status] ?? 'gray'}>
        {stay ? 'occupied' : bed.status}
      </Badge>
    </Group>
  );
  if (!stay) {
    return (
      <Card
        withBorder
        padding="sm"
        data-testid={`bed-${bed.number}`}
        aria-label={`Bed ${bed.number}, ${bed.status}`}
      >
        {header}
        <Text size="sm" c="dimmed">
          No patient
        </Text>
        <BedAlerts alerts={bed.alerts} />
      </Card>
    );
  }
  const vitals = stay.latestVitals;
  const body = (
    <Stack gap={4}>
      {header}
      <Text fw={600} size="sm" lineClamp={1}>
        {patientName(stay)}
      </Text>
      <Text size="xs" c="dimmed">
        {stay.mrn} · {ageInYears(stay.dateOfBirth)} y {stay.sex} · Day {dayOfStay(stay.admittedAt)}
      </Text>
      <BedAlerts alerts={bed.alerts} />
      {stay.allergies.length > 0 ? (
        <Badge
          color="red"
          variant="filled"
          size="sm"
          title={stay.allergies.map((a) => a.substance).join(', ')}
        >
          Allergy: {stay.allergies.map((a) => a.substance).join(', ')}
        </Badge>
      ) : null}
      <BedOrders occupant={stay} />
      {vitals ? (
        <>
          <VitalsLine readings={vitals} flags={vitals.abnormal} />
          <Text size="xs" c="dimmed">
            Vitals {fromNow(vitals.recordedAt)}
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No vitals yet
        </Text>
      )}
    </Stack>
  );
  return (
    <Card
      withBorder
      padding="sm"
      data-testid={`bed-${bed.number}`}
      data-abnormal={vitals && vitals.abnormal.length > 0 ? 'true' : undefined}
      style={
        vitals && vitals.abnormal.length > 0
          ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 }
          : undefined
      }
    >
      {canOpenChart ? (
        <UnstyledButton
          onClick={() => {
            openChart(stay.patientId, stay.visitId);
          }}
        >
          {body}
        </UnstyledButton>
      ) : (
        body
      )}
    </Card>
  );
}
