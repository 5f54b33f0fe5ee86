import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSyncStatus } from './use-sync-status';

/**
 * Reads `queryKey`'s queries again whenever a pull brings rows from the server (another desk's
 * admission, a merge carried out by the server), so a list on screen does not go on showing what
 * the replica no longer holds. Nothing is read again while nothing arrives.
 */
export function useRefreshOnPull(queryKey: QueryKey) {
  const queryClient = useQueryClient();
  const pulledChanges = useSyncStatus().data?.pulledChanges;
  const seen = useRef(pulledChanges);
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    if (pulledChanges === undefined || pulledChanges === seen.current) return;
    seen.current = pulledChanges;
    void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
  }, [pulledChanges, key, queryClient]);
}
