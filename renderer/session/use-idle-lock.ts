/**
 * The main process locks an idle workstation; the renderer tells it about keyboard and pointer
 * activity (at most every 20 s) and re-reads the session when the lock is due, so the lock
 * screen appears on time even if nobody touches anything.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC, useTRPCClient } from '../trpc/client';

const REPORT_EVERY_MS = 20_000;

export function useIdleLock(locksAt: string): void {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lastReport = useRef(0);

  useEffect(() => {
    const onActivity = () => {
      const now = Date.now();
      if (now - lastReport.current < REPORT_EVERY_MS) return;
      lastReport.current = now;
      void client.auth.reportActivity
        .mutate()
        .then(() => queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() }));
    };
    window.addEventListener('keydown', onActivity, { passive: true });
    window.addEventListener('pointerdown', onActivity, { passive: true });
    return () => {
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
    };
  }, [client, queryClient, trpc]);

  useEffect(() => {
    const delay = Math.max(0, Date.parse(locksAt) - Date.now() + 500);
    const timer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() }),
      delay,
    );
    return () => {
      window.clearTimeout(timer);
    };
  }, [locksAt, queryClient, trpc]);
}
