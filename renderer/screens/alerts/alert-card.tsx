/**
 * One open alert in clinical words: what, about whom and where, the facts (drug, times, who, on
 * which workstation), what to do, and the actions the person may take.
 */
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { AcknowledgeModal } from './acknowledge-modal';
import { AlertActions } from './alert-actions';
import { URGENCY_BADGES, URGENCY_COLOURS, type AlertView } from './use-alerts';

export function AlertCard({ alert }: { alert: AlertView }) {
  const canAcknowledge = useCan('clinical_alerts:acknowledge');
  const canOpenChart = useCan('emr:read');
  const openChart = useNavStore((state) => state.openChart);
  const [acknowledging, setAcknowledging] = useState(false);
  const headingId = `alert-${alert.id}`;
  return (
    <Paper
      withBorder
      p="sm"
      component="article"
      aria-labelledby={headingId}
      data-testid="alert-card"
      data-kind={alert.kind}
      style={{ borderLeft: `4px solid var(--mantine-color-${URGENCY_COLOURS[alert.urgency]}-7)` }}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={700} id={headingId} component="h3" size="md" m={0}>
              {alert.title}
              {alert.patient ? `: ${alert.patient.name}` : ''}
            </Text>
            {alert.place ? (
              <Text size="sm" c="dimmed">
                {alert.place}
              </Text>
            ) : null}
          </div>
          <Badge {...URGENCY_BADGES[alert.urgency]} variant="filled">
            {alert.urgency === 'act_now' ? 'Act now' : 'Sort out'}
          </Badge>
        </Group>
        <Text size="sm">{alert.summary}</Text>
        {alert.facts.length > 0 ? (
          <dl className="alert-facts">
            {alert.facts.map((fact) => (
              <div key={fact.label}>
                <dt>{fact.label}</dt>
                <dd>{fact.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <Text size="sm">
          <Text span fw={600}>
            What to do:
          </Text>{' '}
          {alert.whatToDo}
        </Text>
        <Text size="xs" c="dimmed">
          Raised {formatDateTime(alert.raisedAt)}
          {alert.raisedBy ? ` by a change of ${alert.raisedBy}` : ''}
        </Text>
        <Group gap="xs">
          {canAcknowledge ? (
            <Button
              size="xs"
              onClick={() => {
                setAcknowledging(true);
              }}
              aria-label={`Acknowledge ${alert.title}${alert.patient ? ` for ${alert.patient.name}` : ''}`}
            >
              Acknowledge…
            </Button>
          ) : null}
          {canOpenChart && alert.patient ? (
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                if (alert.patient) openChart(alert.patient.id, alert.visitId);
              }}
            >
              Open chart
            </Button>
          ) : null}
          <AlertActions alert={alert} />
        </Group>
      </Stack>
      {acknowledging ? (
        <AcknowledgeModal
          alert={alert}
          onClose={() => {
            setAcknowledging(false);
          }}
        />
      ) : null}
    </Paper>
  );
}
