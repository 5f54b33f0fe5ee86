/**
 * IT's command line for rescue files (`npm run rescue -- …`, docs/WORKSTATION.md "Rescuing a
 * revoked or retired workstation"), for replicas whose key is a file beside them (the browser
 * harness, the web demo, a kiosk set up that way). The desktop app's replica key is wrapped by
 * the OS key store, which only the app opens: there the same two actions are on the Devices
 * tRPC procedures (`sync.rescueExport`, `sync.rescueReplay`).
 *
 *   export --replica R --out F [--config C | --public-key P]
 *       seals R's unsent changes to the config's rescueKeyFile (or P) and writes F (never over
 *       an existing file). No person signs in: the export event names no user.
 *   replay --replica R --file F --key K --email E [--token-file T]
 *       signs E in online on the enrolled workstation R (password from WARDLINE_RESCUE_PASSWORD
 *       or the first line of stdin), checks devices:manage, and relays F's changes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { signIn } from '../auth/sign-in';
import { loadPermissions } from '../auth/permissions';
import { readMachineConfig } from '../config';
import { WardError } from '../errors';
import { openReplicaWithKeyFile } from '../replica';
import { createWorkstation } from '../workstation';
import { fileTokenStore } from './device-token';
import { SyncEngine } from './engine';
import { exportRescueFile, readRescuePublicKey } from './rescue-export';
import { replayRescueFile } from './rescue-replay';
import { httpServerAuth } from './server-auth';

export interface RescueCliIo {
  out: (line: string) => void;
  /** The administrator's password, for `replay`. */
  password: () => Promise<string>;
  now?: () => Date;
}

const USAGE =
  'Usage: rescue export --replica R --out F [--config C | --public-key P]\n' +
  '       rescue replay --replica R --file F --key K --email E [--token-file T]';

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (value === undefined)
    throw new WardError('invalid_input', `--${name} is needed.\n${USAGE}`, 'invalid');
  return value;
}

/** Runs one command; a refusal is thrown as a WardError whose sentence says what to do. */
export async function runRescueCli(argv: readonly string[], io: RescueCliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      replica: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string' },
      'public-key': { type: 'string' },
      file: { type: 'string' },
      key: { type: 'string' },
      email: { type: 'string' },
      'token-file': { type: 'string' },
    },
  });
  const now = io.now ?? (() => new Date());
  const command = positionals[0];
  if (command === 'export') {
    const out = required(values, 'out');
    if (existsSync(out))
      throw new WardError(
        'invalid_input',
        `${out} exists already: an earlier rescue file is never written over. Choose another name.`,
        'invalid',
      );
    const publicKey = values['public-key'];
    const keyFile =
      publicKey ?? (values.config ? readMachineConfig(values.config).rescueKeyFile : null);
    const db = openReplicaWithKeyFile(required(values, 'replica'));
    try {
      const exported = exportRescueFile(db, {
        publicKeyPem: readRescuePublicKey(keyFile),
        exporter: { userId: null, role: null, signer: null },
        now: now(),
      });
      // Owner-only, and never over another file: an earlier rescue file is kept as it was.
      writeFileSync(out, exported.bytes, { mode: 0o600, flag: 'wx' });
      io.out(
        `Wrote ${out}: ${exported.mutations} unsent changes and ${exported.events} audit events of workstation ${exported.deviceId}, sealed to key ${exported.sealedTo.slice(0, 16)}…. Nothing was removed from this workstation.`,
      );
      if (exported.refusedKept > 0)
        io.out(
          `${exported.refusedKept} changes the server refused earlier stay on this workstation for a person to look at; they are not in the file.`,
        );
    } finally {
      db.$client.close();
    }
    return;
  }
  if (command === 'replay') {
    const replica = required(values, 'replica');
    const bytes = readFileSync(required(values, 'file'));
    const privateKeyPem = readFileSync(required(values, 'key'), 'utf8');
    const email = required(values, 'email');
    const db = openReplicaWithKeyFile(replica);
    const engine = new SyncEngine({
      db,
      tokens: fileTokenStore(values['token-file'] ?? join(dirname(replica), 'device-token')),
    });
    try {
      const workstation = createWorkstation({
        db,
        serverAuth: httpServerAuth(() => engine.transport()),
        sync: engine,
      });
      const session = await signIn(workstation, { email, password: await io.password() });
      if (session.mode !== 'online')
        throw new WardError(
          'server_unreachable',
          'A replay needs the central server, and this sign-in was offline: try again when the server can be reached.',
        );
      if (!loadPermissions(db, session.user.id, now()).has('devices:manage'))
        throw new WardError(
          'forbidden',
          'Replaying a rescue file needs the permission to enroll and revoke workstations (devices:manage).',
          'forbidden',
        );
      const replay = await replayRescueFile(
        {
          db,
          clock: { now },
          actor: {
            userId: session.user.id,
            hospitalId: session.user.hospitalId ?? '',
            signer: session.signer,
            role: session.user.role,
          },
        },
        engine.transport(),
        { bytes, privateKeyPem },
      );
      io.out(
        `Workstation ${replay.deviceId}: ${replay.mutations} changes — ${replay.applied} applied, ${replay.conflicts} applied with a conflict, ${replay.duplicates} already on the server, ${replay.refused.length} refused; ${replay.events.accepted} of ${replay.events.sent} audit events new to the server.`,
      );
      for (const refused of replay.refused)
        io.out(
          `Refused: change ${refused.deviceSeq} (${refused.op} ${refused.table}, ${refused.mutationId}): ${refused.code}: ${refused.message}`,
        );
      workstation.sessions.end('signed_out');
    } finally {
      await engine.stop();
      db.$client.close();
    }
    return;
  }
  throw new WardError('invalid_input', USAGE, 'invalid');
}
