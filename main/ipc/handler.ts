/**
 * The main-process end of the IPC bridge, without Electron: validates each message, checks who
 * sent it (the app's own top frame only, as VS Code's validated IPC does), and runs the tRPC
 * procedure. main/app wires it to ipcMain; tests wire it to a MessageChannel.
 */
import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type AnyTRPCRouter,
  type inferRouterContext,
} from '@trpc/server';
import { IpcRequestSchema, type IpcResponse } from '../../shared/ipc-protocol';

export interface IpcSender {
  /** A stable key for the sending frame (e.g. `${webContents.id}`); subscriptions are kept per sender. */
  key: string;
  /** URL of the frame that sent the message. */
  url: string;
  isTopFrame: boolean;
}

export type RefusalReason = 'unexpected_sender' | 'malformed_message';

export interface IpcHandlerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  createContext: () => inferRouterContext<TRouter>;
  /** The only origin allowed to call, e.g. `app://wardline`. */
  appOrigin: string;
  onRefused?: (reason: RefusalReason, sender: IpcSender) => void;
}

export function isExpectedSender(sender: IpcSender, appOrigin: string): boolean {
  if (!sender.isTopFrame) return false;
  try {
    // WHATWG gives custom schemes an opaque origin ("null"), so compare scheme and host instead.
    const url = new URL(sender.url);
    return url.host !== '' && `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

export function createIpcHandler<TRouter extends AnyTRPCRouter>(
  options: IpcHandlerOptions<TRouter>,
) {
  const running = new Map<string, AbortController>();

  async function handle(
    raw: unknown,
    sender: IpcSender,
    reply: (message: IpcResponse) => void,
  ): Promise<void> {
    // A message from anywhere else gets no answer at all: not even that it was refused.
    if (!isExpectedSender(sender, options.appOrigin)) {
      options.onRefused?.('unexpected_sender', sender);
      return;
    }
    const parsed = IpcRequestSchema.safeParse(raw);
    if (!parsed.success) {
      options.onRefused?.('malformed_message', sender);
      return;
    }
    const message = parsed.data;
    const key = `${sender.key}/${message.id}`;
    if (message.type === 'subscription.stop') {
      running.get(key)?.abort();
      running.delete(key);
      return;
    }
    const type = message.type === 'request' ? message.kind : 'subscription';
    const ctx = options.createContext();
    const abort = new AbortController();
    try {
      const result: unknown = await callTRPCProcedure({
        router: options.router,
        path: message.path,
        getRawInput: () => Promise.resolve(message.input),
        ctx,
        type,
        signal: abort.signal,
        batchIndex: 0,
      });
      if (type !== 'subscription') {
        reply({ type: 'result', id: message.id, data: result });
        return;
      }
      running.set(key, abort);
      for await (const data of result as AsyncIterable<unknown>) {
        if (abort.signal.aborted) break;
        reply({ type: 'subscription.data', id: message.id, data });
      }
      reply({ type: 'subscription.end', id: message.id });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getTRPCErrorShape({
        config: options.router._def._config,
        error,
        type,
        path: message.path,
        input: message.input,
        ctx,
      }) as { message: string; code: number; data: Record<string, unknown> };
      reply({ type: 'error', id: message.id, error: shape });
    } finally {
      running.delete(key);
    }
  }

  /** Stops every subscription of a sender, e.g. when its window closes or reloads. */
  function forgetSender(senderKey: string): void {
    for (const [key, controller] of running) {
      if (key.startsWith(`${senderKey}/`)) {
        controller.abort();
        running.delete(key);
      }
    }
  }

  return { handle, forgetSender };
}
