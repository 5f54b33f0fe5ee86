/** The Alerts inbox: open clinical alerts of the kinds this person's role sorts out, newest first. */
import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { describeFailure } from '../../trpc/client';
import { AlertCard } from './alert-card';
import { useInboxAlerts } from './use-alerts';

export function AlertsScreen() {
  const alerts = useInboxAlerts();
  return (
    <section aria-labelledby="alerts-title">
      <Title order={2} id="alerts-title" mb="xs">
        Alerts{alerts.data ? ` (${String(alerts.data.length)})` : ''}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Raised by the server when work done on different workstations clashes. Acknowledging one
        clears it on every workstation of the hospital.
      </Text>
      {alerts.error ? (
        <Alert color="red" role="alert">
          {describeFailure(alerts.error)}
        </Alert>
      ) : null}
      {alerts.isPending ? <Loader aria-label="Loading the alerts" /> : null}
      {alerts.data?.length === 0 ? <Text role="status">No open alerts.</Text> : null}
      <Stack gap="sm" data-testid="alerts-inbox">
        {(alerts.data ?? []).map((alert) => (
          <AlertCard key={alert.id} alert={alert} />
        ))}
      </Stack>
    </section>
  );
}
