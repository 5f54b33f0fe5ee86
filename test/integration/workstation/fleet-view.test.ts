/**
 * The Devices screen's procedure on a workstation that has never reached a server: nothing was
 * read, so nothing is shown as if it were current; the screen says the list needs the server.
 * (Online reads and the remembered list offline: test/e2e/devices.test.ts.)
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestWorkstation, type TestWorkstation } from './support';

let ws: TestWorkstation;
beforeAll(() => {
  ws = createTestWorkstation();
});
afterAll(() => {
  ws.close();
});

test('without a server and nothing read before, the answer is offline with a sentence', async () => {
  ws.signInAs('manager');
  const view = await ws.caller.sync.fleet();
  expect(view).toEqual({
    state: 'offline',
    message: expect.stringContaining('cannot be reached right now') as string,
  });
});
