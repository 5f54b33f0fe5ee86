/**
 * A chart entry that has not reached the server yet carries a small mark: "not yet sent" while its
 * change waits in the outbox, "refused by the server" when the server refused it (the Sync screen
 * says why). Words, not colour alone; nothing once it is on the server. The chart's first paint
 * says which entries wait (`chart.open`); while any do, `useLiveSendStates` follows the outbox so
 * the marks leave as the sync drains it, without reading (and auditing) the chart again.
 */
import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { useTRPC } from '../trpc/client';

type SendState = 'pending' | 'rejected' | null;

/** The outbox's answer for the entries the chart opened as unsent; null until it has answered. */
const LiveSendStates = createContext<Readonly<Record<string, 'pending' | 'rejected'>> | null>(null);

export const SendStatesProvider = LiveSendStates.Provider;

export function useLiveSendStates(entries: readonly { id: string; sendState: SendState }[]) {
  const trpc = useTRPC();
  const rowIds = entries.filter((entry) => entry.sendState !== null).map((entry) => entry.id);
  const live = useQuery({
    ...trpc.sync.sendStates.queryOptions({ rowIds: rowIds.slice(0, 500) }),
    enabled: rowIds.length > 0,
    refetchInterval: 2_000,
  });
  return live.data ?? null;
}

export function SendStateMark({ id, state }: { id: string; state: SendState }) {
  const live = useContext(LiveSendStates);
  const current = state === null ? null : live ? (live[id] ?? null) : state;
  if (current === null) return null;
  return current === 'pending' ? (
    <Badge
      size="xs"
      variant="outline"
      color="dark"
      ml={4}
      data-testid="not-yet-sent"
      title="Saved on this workstation; not yet on the server"
    >
      not yet sent
    </Badge>
  ) : (
    <Badge
      size="xs"
      color="red"
      ml={4}
      data-testid="refused-by-server"
      title="The server refused this change; see the Sync screen"
    >
      refused by the server
    </Badge>
  );
}
