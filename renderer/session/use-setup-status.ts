/** `setup.status`: whether this workstation is enrolled and how far its first sync has come. */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';
import type { RouterOutputs } from '../trpc/types';

export type SetupStatus = RouterOutputs['setup']['status'];

/** The first sync after enrollment is watched closely; otherwise nothing changes by itself. */
export function useSetupStatus() {
  const trpc = useTRPC();
  return useQuery(
    trpc.setup.status.queryOptions(undefined, {
      staleTime: 0,
      refetchInterval: (query) => {
        const status = query.state.data;
        return status?.enrolled && !status.firstSync.complete ? 500 : false;
      },
    }),
  );
}

/** Nobody can sign in usefully until the workstation is enrolled and holds its hospital. */
export function needsSetup(status: SetupStatus): boolean {
  return !status.enrolled || !status.firstSync.complete;
}
