/**
 * The messages between the renderer and the main process over the one IPC channel the preload
 * exposes. Both ends validate what they receive with these schemas. The renderer's tRPC link
 * (`ipcLink`) lives here too, since it is pure: it only needs the bridge the preload provides.
 */
import {
  TRPCClientError,
  type OperationResultObservable,
  type OperationResultObserver,
  type TRPCLink,
} from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';

export const IPC_CHANNEL = 'wardline:trpc';

const CallId = z.number().int().nonnegative();
const Path = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.]+$/);

export const IpcRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('request'),
    id: CallId,
    kind: z.enum(['query', 'mutation']),
    path: Path,
    input: z.unknown(),
  }),
  z.object({ type: z.literal('subscription.start'), id: CallId, path: Path, input: z.unknown() }),
  z.object({ type: z.literal('subscription.stop'), id: CallId }),
]);
export type IpcRequest = z.infer<typeof IpcRequestSchema>;

/** tRPC's error shape: `message` for people, `data.appCode` for programs. */
export const IpcErrorShapeSchema = z.object({
  message: z.string(),
  code: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});

export const IpcResponseSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: CallId, data: z.unknown() }),
  z.object({ type: z.literal('error'), id: CallId, error: IpcErrorShapeSchema }),
  z.object({ type: z.literal('subscription.data'), id: CallId, data: z.unknown() }),
  z.object({ type: z.literal('subscription.end'), id: CallId }),
]);
export type IpcResponse = z.infer<typeof IpcResponseSchema>;

/** What the preload puts on `window.wardline`: send a message, listen for answers. Nothing else. */
export interface IpcBridge {
  send(message: IpcRequest): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

type Operator = (source: unknown) => unknown;

/**
 * tRPC's observable, built here because shared/ may not import `@trpc/server/observable`: this
 * file runs in the renderer, and tRPC's server runtime stays in main (eslint.config.js). The
 * link only needs `subscribe` and `pipe`.
 */
function resultObservable<TRouter extends AnyRouter>(
  subscribe: (observer: OperationResultObserver<TRouter, unknown>) => () => void,
): OperationResultObservable<TRouter, unknown> {
  const self = {
    subscribe(observer: Partial<OperationResultObserver<TRouter, unknown>>) {
      let closed = false;
      const teardown = subscribe({
        next: (value) => {
          if (!closed) observer.next?.(value);
        },
        error: (error) => {
          if (closed) return;
          closed = true;
          observer.error?.(error);
        },
        complete: () => {
          if (closed) return;
          closed = true;
          observer.complete?.();
        },
      });
      return {
        unsubscribe: () => {
          closed = true;
          teardown();
        },
      };
    },
    pipe: (...operators: Operator[]): unknown =>
      operators.reduce<unknown>((source, operator) => operator(source), self),
  };
  return self as unknown as OperationResultObservable<TRouter, unknown>;
}

/** A tRPC client link over the preload's bridge, for `createTRPCClient({ links: [ipcLink(bridge)] })`. */
export function ipcLink<TRouter extends AnyRouter>(bridge: IpcBridge): TRPCLink<TRouter> {
  let nextId = 1;
  const listeners = new Map<number, (message: IpcResponse) => void>();
  bridge.onMessage((raw) => {
    const parsed = IpcResponseSchema.safeParse(raw);
    if (parsed.success) listeners.get(parsed.data.id)?.(parsed.data);
  });
  return () =>
    ({ op }) =>
      resultObservable<TRouter>((observer) => {
        const id = nextId++;
        const done = () => listeners.delete(id);
        listeners.set(id, (message) => {
          switch (message.type) {
            case 'result':
              observer.next({ result: { type: 'data', data: message.data } });
              observer.complete();
              done();
              return;
            case 'error':
              observer.error(TRPCClientError.from({ error: message.error }));
              done();
              return;
            case 'subscription.data':
              observer.next({ result: { type: 'data', data: message.data } });
              return;
            case 'subscription.end':
              observer.complete();
              done();
          }
        });
        if (op.type === 'subscription')
          bridge.send({ type: 'subscription.start', id, path: op.path, input: op.input });
        else bridge.send({ type: 'request', id, kind: op.type, path: op.path, input: op.input });
        return () => {
          if (op.type === 'subscription' && listeners.has(id))
            bridge.send({ type: 'subscription.stop', id });
          done();
        };
      });
}
