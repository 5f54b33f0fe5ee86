/**
 * The chart's data: ONE call (`chart.open`) for the first paint. It is a mutation on the main
 * process because every chart read is audited; here it is cached like a query so tabs and
 * modals share it, and every write to the chart refreshes it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { useTRPC, useTRPCClient } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import { useSyncStatus } from '../sync/use-sync-status';

export type Chart = RouterOutputs['chart']['open'];
export type ChartVisit = NonNullable<Chart['visit']>;

const CHART_KEY = 'chart';

export function useChart(patientId: string, visitId: string | null) {
  const client = useTRPCClient();
  const chart = useQuery({
    queryKey: [CHART_KEY, patientId, visitId],
    queryFn: () => client.chart.open.mutate(visitId ? { patientId, visitId } : { patientId }),
    // A chart missing its stay's rows (opened offline on a scoped workstation) is never reused:
    // opening it again is how the person fetches them.
    staleTime: (query) => (query.state.data?.recordNotHeld ? 0 : 30_000),
  });
  // The message asks to open the chart online; the chart on screen does it itself the moment
  // the server answers again.
  const online = useSyncStatus().data?.online === true;
  const notHeld = (chart.data?.recordNotHeld ?? null) !== null;
  const { refetch } = chart;
  useEffect(() => {
    if (online && notHeld) void refetch();
  }, [online, notHeld, refetch]);
  return chart;
}

/** After a write: the chart and the ward board both show what changed. */
export function useRefreshChart() {
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [CHART_KEY] }),
      queryClient.invalidateQueries({ queryKey: trpc.wardBoard.get.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.wards.list.queryKey() }),
    ]);
  }, [queryClient, trpc]);
}
