/**
 * The desktop renderer that Electron loads carries no HTTP transport: it can reach the main
 * process over the preload's IPC bridge only. Both production bundles are built (cached per
 * source version, as the browser tests do) and read as shipped; the web bundle, which must
 * hold the HTTP link, shows that the markers would be found if they were there.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRenderer, type RendererTarget } from '../../e2e/support/renderer-build';

/** Strings of tRPC's HTTP links (httpBatchLink, httpLink, httpUtils) and of our /trpc endpoint. */
const HTTP_LINK_MARKERS = ['batch=1', 'trpc-accept', 'maxURLLength', '/trpc'];
/** The IPC link's request type (shared/ipc-protocol.ts). */
const IPC_LINK_MARKER = 'subscription.start';

async function readBundle(target: RendererTarget) {
  const dir = await buildRenderer(target);
  const scripts = readdirSync(join(dir, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(dir, 'assets', name), 'utf8'))
    .join('\n');
  return { scripts, html: readFileSync(join(dir, 'index.html'), 'utf8') };
}

const found = (text: string) => HTTP_LINK_MARKERS.filter((marker) => text.includes(marker));

describe('renderer bundles', () => {
  it('the desktop bundle talks over IPC only: no HTTP link, no fetch allowed', async () => {
    const desktop = await readBundle('desktop');
    expect(found(desktop.scripts)).toEqual([]);
    expect(desktop.scripts).toContain(IPC_LINK_MARKER);
    expect(desktop.html).toContain("connect-src 'none'");
    expect(desktop.html).not.toContain("connect-src 'self'");
  }, 180_000);

  it('the web bundle (harness, web demo, e2e) has the HTTP link to its own origin', async () => {
    const web = await readBundle('web');
    expect(found(web.scripts)).toEqual(HTTP_LINK_MARKERS);
    expect(web.scripts).toContain(IPC_LINK_MARKER);
    expect(web.html).toContain("connect-src 'self'");
  }, 180_000);
});
