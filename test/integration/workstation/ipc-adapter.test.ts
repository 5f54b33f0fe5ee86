/**
 * main/app/ipc.ts's per-message logic without Electron: a Node EventEmitter stands in for the
 * window's WebContents, the real handler, router and replica answer. A window keeps one
 * 'destroyed' listener however many messages it sends, and its subscriptions stop with it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { appRouter } from '../../../main/api/router';
import {
  createIpcAdapter,
  type IpcReceivedEvent,
  type IpcSenderContents,
} from '../../../main/ipc/electron-adapter';
import { createIpcHandler } from '../../../main/ipc/handler';
import { IPC_CHANNEL, type IpcResponse } from '../../../shared/ipc-protocol';
import { createTestWorkstation, type TestWorkstation } from './support';

class FakeContents extends EventEmitter implements IpcSenderContents {
  readonly mainFrame = { url: 'app://wardline/index.html' };
  destroyed = false;
  constructor(readonly id: number) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

describe('IPC adapter of the Electron shell', () => {
  let ws: TestWorkstation;
  let forgotten: string[];
  let adapter: ReturnType<typeof createIpcAdapter>;

  beforeEach(() => {
    ws = createTestWorkstation();
    forgotten = [];
    const handler = createIpcHandler({
      router: appRouter,
      createContext: () => ws.workstation,
      appOrigin: 'app://wardline',
    });
    adapter = createIpcAdapter(
      {
        handle: handler.handle,
        forgetSender: (key) => {
          forgotten.push(key);
          handler.forgetSender(key);
        },
      },
      IPC_CHANNEL,
    );
  });
  afterEach(() => {
    ws.close();
  });

  function eventFrom(contents: FakeContents, replies: IpcResponse[]): IpcReceivedEvent {
    return {
      sender: contents,
      senderFrame: contents.mainFrame,
      reply: (channel, message) => {
        expect(channel).toBe(IPC_CHANNEL);
        replies.push(message);
      },
    };
  }

  it('keeps one destroyed listener per window over 1,000 messages', async () => {
    const window = new FakeContents(1);
    const replies: IpcResponse[] = [];
    for (let id = 0; id < 1000; id++) {
      await adapter.receive(eventFrom(window, replies), {
        type: 'request',
        id,
        kind: 'query',
        path: 'auth.session',
        input: undefined,
      });
    }
    expect(replies).toHaveLength(1000);
    expect(replies.every((reply) => reply.type === 'result')).toBe(true);
    expect(window.listenerCount('destroyed')).toBe(1);
    expect(adapter.watchedSenders()).toBe(1);

    const other = new FakeContents(2);
    await adapter.receive(eventFrom(other, []), { type: 'subscription.stop', id: 1 });
    expect(other.listenerCount('destroyed')).toBe(1);
    expect(adapter.watchedSenders()).toBe(2);
  });

  it('forgets a destroyed window once, answers it no more, and watches a new one afresh', async () => {
    const window = new FakeContents(3);
    const replies: IpcResponse[] = [];
    const session = {
      type: 'request',
      id: 1,
      kind: 'query',
      path: 'auth.session',
      input: undefined,
    } as const;
    await adapter.receive(eventFrom(window, replies), session);
    window.destroy();
    expect(forgotten).toEqual(['3']);
    expect(window.listenerCount('destroyed')).toBe(0);
    expect(adapter.watchedSenders()).toBe(0);
    await adapter.receive(eventFrom(window, replies), { ...session, id: 2 });
    expect(replies.map((reply) => reply.id)).toEqual([1]);

    const reloaded = new FakeContents(4);
    await adapter.receive(eventFrom(reloaded, []), session);
    expect(reloaded.listenerCount('destroyed')).toBe(1);
  });

  it('reports a subframe as not the top frame, so the handler refuses it', async () => {
    const window = new FakeContents(5);
    const replies: IpcResponse[] = [];
    await adapter.receive(
      { ...eventFrom(window, replies), senderFrame: { url: 'app://wardline/frame.html' } },
      { type: 'request', id: 1, kind: 'query', path: 'auth.session', input: undefined },
    );
    await adapter.receive(
      { ...eventFrom(window, replies), senderFrame: null },
      { type: 'request', id: 2, kind: 'query', path: 'auth.session', input: undefined },
    );
    expect(replies).toEqual([]);
  });
});
