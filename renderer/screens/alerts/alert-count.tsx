/** The number of open alerts in the person's inbox, beside Alerts in the navigation. */
import { Badge } from '@mantine/core';
import { useInboxAlerts } from './use-alerts';

export function AlertCount() {
  const alerts = useInboxAlerts();
  const count = alerts.data?.length ?? 0;
  if (count === 0) return null;
  const urgent = alerts.data?.some((alert) => alert.urgency === 'act_now') ?? false;
  return (
    <Badge
      size="sm"
      color={urgent ? 'red' : 'orange'}
      variant="filled"
      data-testid="alert-count"
      data-count={count}
    >
      {count}
      <span className="visually-hidden"> open alert{count === 1 ? '' : 's'}</span>
    </Badge>
  );
}
