/**
 * A writer that dies right after a commit. Usage: tsx commit-child.ts <replica> <run> <commits>.
 * Records vitals through the write path, one transaction each, and prints `committed <id>`
 * (synchronously, before anything else runs) as soon as each write returns; right after the last
 * it SIGKILLs itself: no close, no checkpoint, no exit handler.
 */
import { writeSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { visits, vitals } from '../../../../db/local/schema';
import { demoUserId, DEMO_HOSPITAL_ID } from '../../../../db/seed/demo-data';
import { newSigningKey } from '../../../../main/auth/signing-keys';
import { openReplicaWithKeyFile } from '../../../../main/replica';
import { writeClinical } from '../../../../main/services/write-path';

const [replicaFile, run, commitsText] = process.argv.slice(2);
const commits = Number(commitsText);
if (!replicaFile || !run || !Number.isInteger(commits))
  throw new Error('usage: commit-child.ts <replica> <run> <commits>');

const db = openReplicaWithKeyFile(replicaFile, { exclusive: true });
const nurse = demoUserId('nurse@hass.example');
const context = {
  db,
  clock: { now: () => new Date() },
  actor: { userId: nurse, hospitalId: DEMO_HOSPITAL_ID, signer: newSigningKey(nurse).signer },
};
const admitted = db.select().from(visits).where(eq(visits.status, 'admitted')).all();

for (let i = 0; i < commits; i += 1) {
  const visit = admitted[i % admitted.length];
  if (!visit) throw new Error('no admitted visit');
  const row = writeClinical(context, (batch) =>
    batch.insert(
      vitals,
      {
        visitId: visit.id,
        patientId: visit.patientId,
        recordedAt: batch.now,
        temperatureC: null,
        systolic: null,
        diastolic: null,
        heartRate: 60 + i,
        respiratoryRate: 14,
        spo2: null,
        weightKg: null,
        heightCm: null,
        bmi: null,
        abnormal: [],
        recordedBy: nurse,
        notes: `kill-${run}-${i}`,
        enteredInErrorId: null,
      },
      { action: 'vitals.record' },
    ),
  );
  writeSync(1, `committed ${row.id}\n`);
}
process.kill(process.pid, 'SIGKILL');
