/**
 * A TCP proxy on 127.0.0.1 that misbehaves on purpose, as hospital networks do: it cuts
 * connections in the middle of a request or of a reply, and delays replies. Faults are drawn
 * from a seeded random source, so a failing run can be replayed. It can also lose chosen answers
 * whole (`dropReply`): the server did the work, the workstation never hears of it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './seeded-random';

export interface FaultPlan {
  /** Chance, per chunk of a request, that the connection is cut inside it. */
  cutRequest: number;
  /** Chance, per chunk of a reply, that the connection is cut inside it (work may be done). */
  cutReply: number;
  /** Chance, per chunk of a reply, that it is held back by `delayMs`. */
  delay: number;
  delayMs: number;
}

export const NO_FAULTS: FaultPlan = { cutRequest: 0, cutReply: 0, delay: 0, delayMs: 0 };

export interface FaultProxy {
  url: string;
  plan: FaultPlan;
  /** While true, every connection is dropped at once: the network is down. */
  readonly down: boolean;
  /** Takes the network down (cutting every open connection) or brings it back. */
  setDown(down: boolean): void;
  /**
   * While set, each reply is held until it is whole (Content-Length framed, as the server sends
   * them) and shown to this judge: true cuts the connection instead, without a byte of it.
   */
  dropReply: ((reply: { head: string; body: string }) => boolean) | null;
  /**
   * While set, the connection carrying the request bytes past this many (counted from when it
   * was set, across connections) is cut there, once: a cut at a known point of an upload.
   */
  cutRequestAfterBytes: number | null;
  stats: {
    connections: number;
    cutRequests: number;
    cutReplies: number;
    delayed: number;
    droppedReplies: number;
  };
  close(): Promise<void>;
}

export async function startFaultProxy(
  target: string,
  options: { seed: number; plan?: FaultPlan },
): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const random = seededRandom(options.seed);
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    url: '',
    plan: { ...(options.plan ?? NO_FAULTS) },
    down: false,
    setDown(down) {
      (proxy as { down: boolean }).down = down;
      if (down) for (const socket of sockets) socket.destroy();
    },
    dropReply: null,
    cutRequestAfterBytes: null,
    stats: { connections: 0, cutRequests: 0, cutReplies: 0, delayed: 0, droppedReplies: 0 },
    close: () => closeServer(server, sockets),
  };

  const server: Server = createServer((client) => {
    proxy.stats.connections += 1;
    if (proxy.down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', forget);
    const cutAll = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cutAll);
    upstream.on('error', cutAll);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());

    // Faults are drawn per chunk, not per connection: keep-alive carries many requests on one.
    client.on('data', (chunk: Buffer) => {
      const left = proxy.cutRequestAfterBytes;
      if (left !== null && chunk.length > left) {
        proxy.cutRequestAfterBytes = null;
        proxy.stats.cutRequests += 1;
        upstream.write(chunk.subarray(0, left), cutAll);
        return;
      }
      if (left !== null) proxy.cutRequestAfterBytes = left - chunk.length;
      if (random() < proxy.plan.cutRequest) {
        proxy.stats.cutRequests += 1;
        upstream.write(chunk.subarray(0, Math.floor(random() * chunk.length)), cutAll);
        return;
      }
      upstream.write(chunk);
    });

    const forward = (chunk: Buffer) => {
      if (random() < proxy.plan.cutReply) {
        proxy.stats.cutReplies += 1;
        client.write(chunk.subarray(0, Math.floor(random() * chunk.length)), cutAll);
        return;
      }
      if (random() < proxy.plan.delay) {
        proxy.stats.delayed += 1;
        upstream.pause();
        setTimeout(() => {
          client.write(chunk);
          upstream.resume();
        }, proxy.plan.delayMs);
        return;
      }
      client.write(chunk);
    };
    // Once a connection's replies are judged whole, they stay so: keep-alive carries many.
    let judge: ((chunk: Buffer) => void) | null = null;
    upstream.on('data', (chunk: Buffer) => {
      if (!judge && !proxy.dropReply) {
        forward(chunk);
        return;
      }
      judge ??= wholeReplies((reply) => {
        if (proxy.dropReply?.(describeReply(reply))) {
          proxy.stats.droppedReplies += 1;
          cutAll();
          return;
        }
        forward(reply);
      });
      judge(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/**
 * Reassembles a connection's reply bytes into whole HTTP responses by their Content-Length. A
 * response without one (chunked) ends the framing: everything after it is passed on as it comes.
 */
function wholeReplies(onReply: (reply: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let framing = true;
  return (chunk) => {
    if (!framing) {
      onReply(chunk);
      return;
    }
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(
        pending.subarray(0, headEnd).toString('latin1'),
      )?.[1];
      if (length === undefined) {
        framing = false;
        onReply(pending);
        pending = Buffer.alloc(0);
        return;
      }
      const end = headEnd + 4 + Number(length);
      if (pending.length < end) return;
      onReply(pending.subarray(0, end));
      pending = pending.subarray(end);
    }
  };
}

function describeReply(reply: Buffer): { head: string; body: string } {
  const headEnd = reply.indexOf('\r\n\r\n');
  return {
    head: reply.subarray(0, headEnd).toString('latin1'),
    body: reply.subarray(headEnd + 4).toString('utf8'),
  };
}
