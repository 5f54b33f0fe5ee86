/**
 * Runs a workstation's sync in its own process until the outbox is empty, so a test can SIGKILL
 * it at any point. Usage: sync-child.ts <replica file> <token file> [push batch size]. Prints `syncing` once
 * the replica is open, then `drained` and exits 0 when nothing is left to push.
 */
import { openReplicaWithKeyFile } from '../../../main/replica';
import { fileTokenStore } from '../../../main/sync/device-token';
import { SyncEngine } from '../../../main/sync/engine';

const [replicaFile, tokenFile, batchText] = process.argv.slice(2);
if (!replicaFile || !tokenFile) throw new Error('usage: sync-child.ts <replica> <token file>');

const db = openReplicaWithKeyFile(replicaFile);
const engine = new SyncEngine({
  db,
  tokens: fileTokenStore(tokenFile),
  ...(batchText ? { pushBatchSize: Number(batchText) } : {}),
});
process.stdout.write('syncing\n');
for (let attempt = 0; attempt < 50 && engine.status().pending > 0; attempt += 1) {
  await engine.syncNow();
}
process.stdout.write('drained\n');
db.$client.close();
