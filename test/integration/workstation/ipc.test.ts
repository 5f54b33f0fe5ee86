/**
 * The IPC adapter between two in-process endpoints (a MessageChannel standing in for
 * ipcRenderer/ipcMain): a real tRPC client over `ipcLink`, the real router and a real replica;
 * messages from a frame other than the app's top frame get no answer and run nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { count } from 'drizzle-orm';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { loginHistory } from '../../../db/local/schema';
import { appRouter, type AppRouter } from '../../../main/api/router';
import { createIpcHandler, type IpcSender, type RefusalReason } from '../../../main/ipc/handler';
import { ipcLink, type IpcBridge, type IpcResponse } from '../../../shared/ipc-protocol';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, type TestWorkstation } from './support';

const APP_ORIGIN = 'app://wardline';
const appFrame: IpcSender = { key: '1', url: `${APP_ORIGIN}/index.html#/ward`, isTopFrame: true };

interface Envelope {
  sender: IpcSender;
  message: unknown;
}

/** The renderer end: what the preload would expose, with the sender Electron would report. */
function bridgeOn(port: MessagePort, sender: () => IpcSender): IpcBridge {
  return {
    send: (message) => {
      port.postMessage({ sender: sender(), message } satisfies Envelope);
    },
    onMessage: (listener) => {
      const handler = (message: unknown) => {
        listener(message);
      };
      port.on('message', handler);
      return () => port.off('message', handler);
    },
  };
}

describe('IPC adapter', () => {
  let ws: TestWorkstation;
  let renderer: MessagePort;
  let main: MessagePort;
  let refused: RefusalReason[];
  let sender: IpcSender;
  let handled: Promise<void>[];

  beforeEach(() => {
    ws = createTestWorkstation();
    ({ port1: renderer, port2: main } = new MessageChannel());
    refused = [];
    handled = [];
    sender = appFrame;
    const handler = createIpcHandler({
      router: appRouter,
      createContext: () => ws.workstation,
      appOrigin: APP_ORIGIN,
      onRefused: (reason) => refused.push(reason),
    });
    main.on('message', (envelope: Envelope) => {
      handled.push(
        handler.handle(envelope.message, envelope.sender, (reply: IpcResponse) => {
          main.postMessage(reply);
        }),
      );
    });
  });
  afterEach(() => {
    renderer.close();
    main.close();
    ws.close();
  });

  const client = () =>
    createTRPCClient<AppRouter>({ links: [ipcLink(bridgeOn(renderer, () => sender))] });

  it('carries queries, mutations and refusals with their code and sentence', async () => {
    const trpc = client();
    const signedIn = await trpc.auth.login.mutate({
      email: 'nurse@hass.example',
      password: 'nurse123',
    });
    expect(signedIn.user.fullName).toBe('Nina Patel');
    const board = await trpc.wardBoard.get.query({ wardId: stableId('ward', 'NGH/MED-A') });
    expect(board.beds).toHaveLength(8);
    const error = await trpc.visits.discharge
      .mutate({ visitId: stableId('visit', 'NGH/1'), dischargeSummary: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<AppRouter>;
    expect(clientError.data?.appCode).toBe('forbidden');
    expect(clientError.message).toMatch(/Your account \(Nurse\) is not allowed/);
    expect(JSON.stringify(clientError.data)).not.toMatch(/stack|at .*\.ts/);
  });

  it('answers nothing and runs nothing for another origin, a subframe or a malformed message', async () => {
    const attempts = () => ws.replica.db.select({ n: count() }).from(loginHistory).get()?.n;
    const before = attempts();
    const answers: unknown[] = [];
    renderer.on('message', (message) => answers.push(message));
    const login = {
      type: 'request',
      id: 1,
      kind: 'mutation',
      path: 'auth.login',
      input: { email: 'nurse@hass.example', password: 'nurse123' },
    };
    for (const frame of [
      { key: '2', url: 'https://evil.example/', isTopFrame: true },
      { key: '3', url: `${APP_ORIGIN}/frame.html`, isTopFrame: false },
      { key: '4', url: 'file:///etc/passwd', isTopFrame: true },
    ]) {
      renderer.postMessage({ sender: frame, message: login } satisfies Envelope);
    }
    renderer.postMessage({
      sender: appFrame,
      message: { type: 'request', id: 'x', path: '../../etc' },
    } satisfies Envelope);
    await new Promise<void>((done) => {
      const wait = () => {
        if (handled.length === 4) done();
        else setImmediate(wait);
      };
      wait();
    });
    await Promise.all(handled);
    expect(refused).toEqual([
      'unexpected_sender',
      'unexpected_sender',
      'unexpected_sender',
      'malformed_message',
    ]);
    expect(attempts()).toBe(before);
    expect(ws.workstation.sessions.status().state).toBe('signed_out');
    expect(answers).toEqual([]);
  });

  it('does not run a query sent as a mutation', async () => {
    const trpc = client();
    await trpc.auth.login.mutate({ email: 'nurse@hass.example', password: 'nurse123' });
    const reply = new Promise<unknown>((resolve) => renderer.once('message', resolve));
    renderer.postMessage({
      sender: appFrame,
      message: { type: 'request', id: 99, kind: 'mutation', path: 'wards.list', input: undefined },
    } satisfies Envelope);
    expect(await reply).toMatchObject({
      type: 'error',
      id: 99,
      error: { data: { code: 'NOT_FOUND' } },
    });
  });
});
