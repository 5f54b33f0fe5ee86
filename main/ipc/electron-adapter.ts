/**
 * The ipcMain side of the bridge without Electron: turns one received IPC event into a call of
 * the handler, with the sender Electron reports, and stops a window's subscriptions when it is
 * destroyed. main/app/ipc.ts only registers `receive` on the channel.
 */
import type { IpcResponse } from '../../shared/ipc-protocol';
import type { IpcSender } from './handler';

/** The parts of Electron's WebContents the adapter uses. */
export interface IpcSenderContents {
  id: number;
  mainFrame: unknown;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The parts of Electron's IpcMainEvent the adapter uses. */
export interface IpcReceivedEvent {
  sender: IpcSenderContents;
  senderFrame: { url: string } | null;
  reply(channel: string, message: IpcResponse): void;
}

export interface IpcHandlerLike {
  handle(raw: unknown, sender: IpcSender, reply: (message: IpcResponse) => void): Promise<void>;
  forgetSender(senderKey: string): void;
}

export function createIpcAdapter(handler: IpcHandlerLike, channel: string) {
  // One 'destroyed' listener per window for its whole life: adding one per message grew the
  // listener list by thousands over a shift (and Node warned past ten).
  const watched = new Set<string>();

  function watch(contents: IpcSenderContents, key: string): void {
    if (watched.has(key)) return;
    watched.add(key);
    contents.once('destroyed', () => {
      watched.delete(key);
      handler.forgetSender(key);
    });
  }

  function receive(event: IpcReceivedEvent, message: unknown): Promise<void> {
    const contents = event.sender;
    const frame = event.senderFrame;
    const sender: IpcSender = {
      key: String(contents.id),
      url: frame?.url ?? '',
      isTopFrame: frame !== null && frame === contents.mainFrame,
    };
    watch(contents, sender.key);
    return handler.handle(message, sender, (reply) => {
      if (!contents.isDestroyed()) event.reply(channel, reply);
    });
  }

  return { receive, watchedSenders: () => watched.size };
}
