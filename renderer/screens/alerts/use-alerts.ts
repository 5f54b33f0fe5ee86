/** Open clinical alerts, polled: they arrive with every pull and leave when anyone acknowledges. */
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

export type AlertView = RouterOutputs['alerts']['inbox'][number];

const POLL_MS = 5_000;

/** The Alerts inbox: the kinds this person's role sorts out. */
export function useInboxAlerts() {
  const trpc = useTRPC();
  const canRead = useCan('clinical_alerts:read');
  return useQuery({
    ...trpc.alerts.inbox.queryOptions(),
    enabled: canRead,
    refetchInterval: POLL_MS,
  });
}

/**
 * The chart's banner: every open alert about this patient. Its first answer came with
 * `chart.open` (the chart's first paint is one call); it is polled from then on.
 */
export function usePatientAlerts(patientId: string, opened: { alerts: AlertView[]; at: number }) {
  const trpc = useTRPC();
  const canRead = useCan('clinical_alerts:read');
  return useQuery({
    ...trpc.alerts.ofPatient.queryOptions({ patientId }),
    enabled: canRead,
    initialData: opened.alerts,
    initialDataUpdatedAt: opened.at,
    refetchInterval: POLL_MS,
  });
}

export const URGENCY_COLOURS = { act_now: 'red', sort_out: 'orange' } as const;

/**
 * A filled badge of an urgency: white on red, and dark text on yellow for what is to be sorted
 * out (white on orange fails AA contrast; axe found it).
 */
export const URGENCY_BADGES = {
  act_now: { color: 'red' },
  sort_out: { color: 'yellow.4', style: { color: 'var(--mantine-color-black)' } },
} as const;
