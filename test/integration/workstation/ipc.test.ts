/**
 * The IPC adapter between two in-process endpoints (a MessageChannel standing in for
 * ipcRenderer/ipcMain): a real tRPC client over `ipcLink`, the real router and a real replica;
 * messages from a frame other than the app's top frame get no answer and run nothing, and each
 * refusal is an event of the device's audit chain (as main/app wires it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { asc, count, eq } from 'drizzle-orm';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { auditLogs, loginHistory } from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { appRouter, type AppRouter } from '../../../main/api/router';
import { createIpcHandler, type IpcSender, type RefusalReason } from '../../../main/ipc/handler';
import {
  IPC_REFUSED_ACTION,
  MAX_RECORDED_REFUSALS_PER_SENDER,
  recordIpcRefusals,
} from '../../../main/ipc/refusal-audit';
import { verifyDeviceAuditChain } from '../../../main/services/audit';
import { ipcLink, type IpcBridge, type IpcResponse } from '../../../shared/ipc-protocol';
import { AuditContextSchema } from '../../../shared/protocol';
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
    const recordRefusal = recordIpcRefusals(ws.workstation);
    const handler = createIpcHandler({
      router: appRouter,
      createContext: () => ws.workstation,
      appOrigin: APP_ORIGIN,
      onRefused: (reason, from) => {
        refused.push(reason);
        recordRefusal(reason, from);
      },
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

  const refusalEvents = () =>
    ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, IPC_REFUSED_ACTION))
      .orderBy(asc(auditLogs.deviceSeq))
      .all();

  /** Posts each envelope and waits until the handler has run for all of them. */
  async function post(envelopes: Envelope[]): Promise<void> {
    const expected = handled.length + envelopes.length;
    for (const envelope of envelopes) renderer.postMessage(envelope);
    await new Promise<void>((done) => {
      const wait = () => {
        if (handled.length >= expected) done();
        else setImmediate(wait);
      };
      wait();
    });
    await Promise.all(handled);
  }

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
      .mutate({
        visitId: stableId('visit', 'NGH/1'),
        summaryDraftId: stableId('visit', 'NGH/1'),
        summary: 'x',
      })
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
    await post([
      ...[
        { key: '2', url: 'https://evil.example/steal?mrn=NGH-000123', isTopFrame: true },
        { key: '3', url: `${APP_ORIGIN}/frame.html`, isTopFrame: false },
        { key: '4', url: 'file:///etc/passwd', isTopFrame: true },
      ].map((frame) => ({ sender: frame, message: login })),
      { sender: appFrame, message: { type: 'request', id: 'x', path: '../../etc' } },
    ]);
    expect(refused).toEqual([
      'unexpected_sender',
      'unexpected_sender',
      'unexpected_sender',
      'malformed_message',
    ]);
    expect(attempts()).toBe(before);
    expect(ws.workstation.sessions.status().state).toBe('signed_out');
    expect(answers).toEqual([]);

    // Audited, with no user (nobody is signed in), the sender's origin only, never the message.
    const events = refusalEvents();
    expect(
      events.map((event) => [
        event.userId,
        event.entity,
        AuditContextSchema.parse(event.after).details,
      ]),
    ).toEqual([
      [
        null,
        'ipc',
        { reason: 'unexpected_sender', senderOrigin: 'https://evil.example', topFrame: true },
      ],
      [
        null,
        'ipc',
        { reason: 'unexpected_sender', senderOrigin: 'app://wardline', topFrame: false },
      ],
      [null, 'ipc', { reason: 'unexpected_sender', senderOrigin: 'file://', topFrame: true }],
      [
        null,
        'ipc',
        { reason: 'malformed_message', senderOrigin: 'app://wardline', topFrame: true },
      ],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/nurse123|nurse@hass|NGH-000123|passwd|steal/);
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
  });

  it('names the signed-in person on a refusal, and records a flooding frame’s first refusals only', async () => {
    await client().auth.login.mutate({ email: 'nurse@hass.example', password: 'nurse123' });
    const evil = { key: '7', url: 'https://evil.example/', isTopFrame: true };
    const probe = { type: 'request', id: 1, kind: 'query', path: 'wardBoard.get', input: {} };
    await post(
      Array.from({ length: MAX_RECORDED_REFUSALS_PER_SENDER + 25 }, () => ({
        sender: evil,
        message: probe,
      })),
    );
    const events = refusalEvents();
    expect(events).toHaveLength(MAX_RECORDED_REFUSALS_PER_SENDER);
    expect(new Set(events.map((event) => event.userId))).toEqual(
      new Set([demoUserId('nurse@hass.example')]),
    );
    expect(events.at(-1)?.after).toMatchObject({
      role: 'nurse',
      outcome: 'refused',
      details: { furtherRefusalsNotRecorded: true },
    });
    expect(AuditContextSchema.parse(events.at(0)?.after).details).not.toHaveProperty(
      'furtherRefusalsNotRecorded',
    );
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
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
