/**
 * The renderer's one tRPC client. The transport is the only thing that differs between builds:
 * the desktop renderer reaches the main process over the preload's IPC bridge (transport.ts);
 * the browser build (harness, web demo, e2e) calls the same router over HTTP on the page's own
 * origin (transport-web.ts, swapped in by vite.config.ts).
 */
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../main/api/router';
import { isWardErrorCode, type WardErrorCode } from '../../shared/ward-error-codes';
import { createTransportLink } from './transport';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createWardlineClient() {
  return createTRPCClient<AppRouter>({ links: [createTransportLink()] });
}

/** The sentence to show a person for a failed call: the main process already wrote it for them. */
export function describeFailure(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}

/**
 * The program-readable code of a failed call (`data.appCode` from main/api/trpc.ts), one of the
 * shared list, so screens switch on a type rather than on strings; null when there is none.
 */
export function failureCode(error: unknown): WardErrorCode | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('appCode' in data)) return null;
  return isWardErrorCode(data.appCode) ? data.appCode : null;
}
