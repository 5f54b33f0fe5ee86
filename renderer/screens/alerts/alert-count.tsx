/**
 * The number of open alerts in the person's inbox, beside Alerts in the navigation. It is always
 * mounted for those who read alerts, so it also refreshes the ward board when alerts arrive or
 * clear: a bed's alert badge must not wait for the board's own 30-second poll.
 */
import { Badge } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../../trpc/client';
import { URGENCY_BADGES, useInboxAlerts } from './use-alerts';

export function AlertCount() {
  const alerts = useInboxAlerts();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const seen = useRef<string | null>(null);
  const ids = alerts.data?.map((alert) => alert.id).join(',') ?? null;

  useEffect(() => {
    if (ids === null) return;
    if (seen.current !== null && seen.current !== ids)
      void queryClient.invalidateQueries({ queryKey: trpc.wardBoard.get.queryKey() });
    seen.current = ids;
  }, [ids, queryClient, trpc]);

  const count = alerts.data?.length ?? 0;
  if (count === 0) return null;
  const urgent = alerts.data?.some((alert) => alert.urgency === 'act_now') ?? false;
  return (
    <Badge
      size="sm"
      {...URGENCY_BADGES[urgent ? 'act_now' : 'sort_out']}
      variant="filled"
      data-testid="alert-count"
      data-count={count}
    >
      {count}
      <span className="visually-hidden"> open alert{count === 1 ? '' : 's'}</span>
    </Badge>
  );
}
