/** The chart's banner: every open alert about this patient, above the tabs, until acknowledged. */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useCan } from '../../session/use-session';
import { AcknowledgeModal } from './acknowledge-modal';
import { AlertActions } from './alert-actions';
import { URGENCY_COLOURS, usePatientAlerts, type AlertView } from './use-alerts';

export function ChartAlerts({
  patientId,
  opened,
}: {
  patientId: string;
  /** The alerts `chart.open` returned, and when. */
  opened: { alerts: AlertView[]; at: number };
}) {
  const canRead = useCan('clinical_alerts:read');
  const alerts = usePatientAlerts(patientId, opened);
  if (!canRead || alerts.data.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="chart-alerts">
      {alerts.data.map((alert) => (
        <ChartAlert key={alert.id} alert={alert} />
      ))}
    </Stack>
  );
}

function ChartAlert({ alert }: { alert: AlertView }) {
  const canAcknowledge = useCan('clinical_alerts:acknowledge');
  const [acknowledging, setAcknowledging] = useState(false);
  return (
    <Alert
      color={URGENCY_COLOURS[alert.urgency]}
      title={`⚠ ${alert.title}`}
      role="region"
      aria-label={`Alert: ${alert.title}`}
      data-kind={alert.kind}
    >
      <Text size="sm">{alert.summary}</Text>
      <Text size="sm" mt={4}>
        <Text span fw={600}>
          What to do:
        </Text>{' '}
        {alert.whatToDo}
      </Text>
      <Group gap="xs" mt="xs">
        {canAcknowledge ? (
          <Button
            size="xs"
            variant="white"
            color="dark"
            onClick={() => {
              setAcknowledging(true);
            }}
          >
            Acknowledge…
          </Button>
        ) : null}
        <AlertActions alert={alert} />
      </Group>
      {acknowledging ? (
        <AcknowledgeModal
          alert={alert}
          onClose={() => {
            setAcknowledging(false);
          }}
        />
      ) : null}
    </Alert>
  );
}
