import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';

/** `sync.status`, polled every second while someone who may see it is signed in. */
export function useSyncStatus() {
  const trpc = useTRPC();
  const canRead = useCan('sync:read');
  return useQuery({
    ...trpc.sync.status.queryOptions(),
    enabled: canRead,
    refetchInterval: 1_000,
    staleTime: 0,
  });
}
