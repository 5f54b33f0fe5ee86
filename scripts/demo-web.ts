/**
 * `npm run demo:web`: the central server with the demo hospital (embedded PostgreSQL in
 * ./.wardline-server) and a workstation enrolled with it, whose screens are served to a browser
 * on 127.0.0.1 through the same API the desktop app uses. Ctrl+C stops both.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeHarnessKey } from '../test/harness/server';
import { startSyncedHarness } from '../test/harness/synced-harness';
import { buildRenderer } from './build-renderer';
import { startServerProcess, type ServerProcess } from './server-process';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5173' },
    'server-port': { type: 'string', default: '8080' },
    'server-data-dir': { type: 'string', default: './.wardline-server' },
    'data-dir': { type: 'string', default: './.wardline-web' },
  },
});

/**
 * The demo's stand-in for IT's rescue key pair (docs/WORKSTATION.md "Rescue file"): the public
 * half is the workstation's `rescueKeyFile`, the private half is what IT would keep elsewhere and
 * choose when replaying. Made once, kept in the demo's data folder.
 */
function demoRescueKeys(dataDir: string): { publicKeyFile: string; privateKeyFile: string } {
  const folder = resolve(dataDir);
  const publicKeyFile = join(folder, 'demo-rescue-key.pub.pem');
  const privateKeyFile = join(folder, 'demo-rescue-key.private.pem');
  if (!existsSync(publicKeyFile) || !existsSync(privateKeyFile)) {
    mkdirSync(folder, { recursive: true });
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 3072,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(privateKeyFile, pair.privateKey, { mode: 0o600 });
    writeFileSync(publicKeyFile, pair.publicKey);
  }
  return { publicKeyFile, privateKeyFile };
}

export async function runWebDemo(existing?: ServerProcess): Promise<void> {
  console.log('Building the screens …');
  const staticDir = await buildRenderer('web');
  if (!existing) console.log('Starting the central server with the demo hospital …');
  const server =
    existing ??
    (await startServerProcess({
      dataDir: values['server-data-dir'],
      port: Number(values['server-port']),
    }));
  const rescueKeys = demoRescueKeys(values['data-dir']);
  const harness = await startSyncedHarness({
    dataDir: values['data-dir'],
    rescueKeyFile: rescueKeys.publicKeyFile,
    serverUrl: server.url,
    enrollmentCode: () => server.enrollmentCode(),
    port: Number(values.port),
    staticDir,
  });
  console.log(`\nWardline is running: open ${harness.url}`);
  console.log(
    `  central server ${server.url}; this workstation syncs with it every 30 s and after each change.`,
  );
  console.log(
    '  Sign in as nurse@hass.example / nurse123 (also doctor@, reception@, labtech@, pharmacist@, admin@ …).',
  );
  console.log(
    '  Stop the server (or this script) to see the workstation keep working offline. Ctrl+C stops.',
  );
  console.log(`  ${describeHarnessKey(values['data-dir'])}`);
  console.log(
    `  Rescue files (Devices screen) are sealed to a demo key; replay them with ${rescueKeys.privateKeyFile}.`,
  );
  const stop = () => {
    void harness
      .close()
      .then(() => server.stop())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await runWebDemo();
