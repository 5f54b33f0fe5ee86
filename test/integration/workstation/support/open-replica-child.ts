/**
 * Opens a replica the way the harness does (key in a 0600 file beside it), in its own process so
 * a test can SIGKILL it mid-way, e.g. while it encrypts a plaintext replica.
 * Usage: tsx open-replica-child.ts <replica file>. Prints `opened` once open, then exits 0.
 */
import { openReplicaWithKeyFile } from '../../../../main/replica';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: open-replica-child.ts <replica file>');
openReplicaWithKeyFile(file).$client.close();
process.stdout.write('opened\n');
