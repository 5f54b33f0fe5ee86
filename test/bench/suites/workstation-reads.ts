/**
 * Read latency on a generated hospital (100,000 patients, 5,000,000 vitals at full size): the
 * ward board, patient search and chart open (which also commits its `chart.read` audit event
 * with synchronous=FULL). p50 and p99 on the encrypted replica, compared with their goals
 * directly; the ward board and chart open p99 also beside the unencrypted replica (≤ 1.25×).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encryptPlaintextReplica } from '../../../db/local/encrypt-plaintext';
import { openLocalDatabase, type LocalDb } from '../../../db/local/open';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { systemClock } from '../../../main/clock';
import { newReplicaKey } from '../../../main/replica-key';
import { openChart } from '../../../main/services/chart';
import { searchPatients } from '../../../main/services/patient-search';
import { getWardBoard } from '../../../main/services/ward-board';
import { v7 as uuidv7 } from 'uuid';
import { scheduledDoses } from '../../../shared/dose-schedule';
import { computeBmi, flagAbnormal } from '../../../shared/vital-ranges';
import {
  latencyFigures,
  overheadFigure,
  percentile,
  sampleInTurn,
  type BenchContext,
  type BenchFigure,
} from '../figures';
import { seededRandom } from '../../support/seeded-random';

const FIRST = [
  'Olivia',
  'Noah',
  'Amelia',
  'Oliver',
  'Isla',
  'George',
  'Ava',
  'Arthur',
  'Mia',
  'Leo',
  'Ivy',
  'Harry',
  'Freya',
  'Oscar',
  'Lily',
  'Theo',
  'Grace',
  'Jack',
  'Ella',
  'Charlie',
  'Aisha',
  'Mohammed',
  'Mei',
  'Hiro',
  'Priya',
  'Arjun',
  'Zofia',
  'Tomasz',
  'Chidi',
  'Ngozi',
  'Sofia',
  'Mateo',
  'Elena',
  'Luca',
  'Fatima',
  'Omar',
  'Hannah',
  'David',
  'Sarah',
  'James',
];
const LAST = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Khan',
  'Okafor',
  'Kowalski',
  'Tanaka',
  'Nguyen',
  'Garcia',
  'Rossi',
  'Murphy',
  'Kelly',
  'Hughes',
  'Edwards',
  'Lewis',
  'Harris',
  'Martin',
  'Bello',
  'Osei',
  'Mensah',
  'Novak',
  'Silva',
  'Fernandes',
  'Lindqvist',
  'Haddad',
  'Cohen',
  'Nair',
  'Singh',
  'Ali',
  'Ahmed',
  'Moore',
  'Young',
];

const WARDS = 40;
const BEDS_PER_WARD = 25;

export interface GeneratedHospital {
  wardIds: string[];
  patients: { id: string; mrn: string; firstName: string; lastName: string; dateOfBirth: string }[];
  admittedPatientIds: string[];
  admittedVisitIds: string[];
}

export function generateHospital(
  db: LocalDb,
  sizes: { patients: number; vitals: number },
  now: Date,
): GeneratedHospital {
  const random = seededRandom(20261123);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const nurseId = demoUserId('nurse@hass.example');
  const doctorId = demoUserId('doctor@hass.example');
  const sqlite = db.$client;
  const hospital = DEMO_HOSPITAL_ID;
  // Generation is setup, not the thing measured: skip fsyncs while loading.
  sqlite.pragma('synchronous = OFF');
  const wardIds: string[] = [];
  const bedIds: { id: string; wardId: string }[] = [];
  const insertWard = sqlite.prepare(
    'insert into wards (id, hospital_id, code, name, floor) values (?, ?, ?, ?, ?)',
  );
  const insertBed = sqlite.prepare(
    'insert into beds (id, hospital_id, ward_id, number, floor, status) values (?, ?, ?, ?, ?, ?)',
  );
  const insertPatient = sqlite.prepare(
    'insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex, phone, allergies) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertVisit = sqlite.prepare(
    'insert into visits (id, hospital_id, patient_id, ward_id, bed_id, attending_doctor_id, status, admitted_at, discharged_at, discharge_summary) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertVitals = sqlite.prepare(
    `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, temperature_c, heart_rate, systolic, diastolic,
       respiratory_rate, spo2, weight_kg, height_cm, bmi, abnormal, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const result: GeneratedHospital = {
    wardIds,
    patients: [],
    admittedPatientIds: [],
    admittedVisitIds: [],
  };
  sqlite.transaction(() => {
    for (let w = 0; w < WARDS; w += 1) {
      const wardId = uuidv7();
      wardIds.push(wardId);
      insertWard.run(
        wardId,
        hospital,
        `W${String(w + 1).padStart(2, '0')}`,
        `Ward ${w + 1}`,
        1 + (w % 8),
      );
      for (let b = 0; b < BEDS_PER_WARD; b += 1) {
        const id = uuidv7();
        bedIds.push({ id, wardId });
        insertBed.run(
          id,
          hospital,
          wardId,
          `W${w + 1}-${String(b + 1).padStart(2, '0')}`,
          1 + (w % 8),
          'available',
        );
      }
    }
  })();
  const visits: {
    id: string;
    patientId: string;
    admittedAt: number;
    weight: number;
    height: number;
  }[] = [];
  const admittedFrom = sizes.patients - Math.min(bedIds.length, sizes.patients);
  sqlite.transaction(() => {
    for (let p = 0; p < sizes.patients; p += 1) {
      const id = uuidv7();
      const firstName = pick(FIRST);
      const lastName = pick(LAST);
      const year = 1930 + Math.floor(random() * 90);
      const dateOfBirth = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const mrn = `NGH-${String(100000 + p)}`;
      insertPatient.run(
        id,
        hospital,
        mrn,
        firstName,
        lastName,
        dateOfBirth,
        random() < 0.5 ? 'female' : 'male',
        null,
        '[]',
      );
      result.patients.push({ id, mrn, firstName, lastName, dateOfBirth });
      const admitted = p >= admittedFrom;
      const bed = admitted
        ? bedIds[p - admittedFrom]
        : bedIds[Math.floor(random() * bedIds.length)];
      if (!bed) throw new Error('bench: no bed');
      const admittedAt = admitted
        ? now.getTime() - Math.floor(random() * 10 * 86_400_000)
        : now.getTime() - Math.floor((1 + random() * 1000) * 86_400_000);
      const visitId = uuidv7();
      insertVisit.run(
        visitId,
        hospital,
        id,
        bed.wardId,
        admitted ? bed.id : null,
        doctorId,
        admitted ? 'admitted' : 'discharged',
        new Date(admittedAt).toISOString(),
        admitted ? null : new Date(admittedAt + 4 * 86_400_000).toISOString(),
        admitted ? null : 'Recovered; follow-up with GP.',
      );
      if (admitted) {
        sqlite.prepare("update beds set status = 'occupied' where id = ?").run(bed.id);
        result.admittedPatientIds.push(id);
        result.admittedVisitIds.push(visitId);
      }
      visits.push({
        id: visitId,
        patientId: id,
        admittedAt,
        weight: 50 + random() * 60,
        height: 150 + random() * 40,
      });
    }
  })();
  const perVisit = Math.max(1, Math.floor(sizes.vitals / visits.length));
  const BATCH = 50_000;
  let written = 0;
  while (written < sizes.vitals) {
    sqlite.transaction(() => {
      for (let i = 0; i < BATCH && written < sizes.vitals; i += 1, written += 1) {
        const visit = visits[Math.floor(written / perVisit) % visits.length];
        if (!visit) throw new Error('bench: no visit');
        const unwell = random() < 0.08;
        const readings = {
          temperatureC:
            Math.round((unwell ? 38 + random() * 1.8 : 36.2 + random() * 1.2) * 10) / 10,
          heartRate: Math.round(unwell ? 100 + random() * 35 : 58 + random() * 40),
          systolic: Math.round(95 + random() * 55),
          diastolic: Math.round(58 + random() * 35),
          respiratoryRate: Math.round(unwell ? 21 + random() * 8 : 12 + random() * 8),
          spo2: Math.round(unwell ? 88 + random() * 7 : 95 + random() * 5),
        };
        const recordedAt = new Date(
          visit.admittedAt + (written % perVisit) * 4 * 3_600_000,
        ).toISOString();
        insertVitals.run(
          uuidv7(),
          hospital,
          visit.id,
          visit.patientId,
          recordedAt,
          readings.temperatureC,
          readings.heartRate,
          readings.systolic,
          readings.diastolic,
          readings.respiratoryRate,
          readings.spo2,
          Math.round(visit.weight * 10) / 10,
          Math.round(visit.height),
          computeBmi(visit.weight, visit.height),
          JSON.stringify(flagAbnormal(readings)),
          nurseId,
        );
      }
    })();
  }
  generateOrders(db, visits, result.admittedVisitIds, now);
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('analyze');
  return result;
}

const FREQUENCIES = [
  'TDS',
  'BD',
  'QDS',
  'Once daily',
  'q6h',
  'nocte',
  'PRN',
  'four hourly when awake',
];
const DRUGS = [
  'Amoxicillin',
  'Paracetamol',
  'Enoxaparin',
  'Omeprazole',
  'Furosemide',
  'Metformin',
  'Morphine',
  'Ondansetron',
];
const LAB_STATUSES = ['pending', 'accepted', 'in_progress', 'completed', 'completed'] as const;

/**
 * Prescriptions, the MAR and lab orders for the ward board's meds due and pending labs: three
 * prescriptions per admitted stay with every dose charted up to three hours ago (so the board's
 * window has doses owed), and lab orders in every state; discharged stays carry a completed course
 * and a completed test.
 */
function generateOrders(
  db: LocalDb,
  visits: { id: string; patientId: string; admittedAt: number }[],
  admitted: string[],
  now: Date,
): void {
  const random = seededRandom(20261124);
  const sqlite = db.$client;
  const doctorId = demoUserId('doctor@hass.example');
  const nurseId = demoUserId('nurse@hass.example');
  const hospital = DEMO_HOSPITAL_ID;
  const insertPrescription = sqlite.prepare(
    `insert into prescriptions (id, hospital_id, visit_id, patient_id, drug, dose, frequency, route, starts_at, ends_at, status, prescribed_by)
       values (?, ?, ?, ?, ?, '1 tablet', ?, 'oral', ?, ?, ?, ?)`,
  );
  const insertDose = sqlite.prepare(
    `insert into medication_administrations (id, hospital_id, prescription_id, visit_id, patient_id, scheduled_for, status, administered_at, administered_by)
       values (?, ?, ?, ?, ?, ?, 'given', ?, ?)`,
  );
  const insertLab = sqlite.prepare(
    `insert into lab_tests (id, hospital_id, visit_id, patient_id, test_code, test_name, urgency, status, ordered_by, ordered_at, result)
       values (?, ?, ?, ?, 'CBC', 'Complete blood count', ?, ?, ?, ?, ?)`,
  );
  const stillHere = new Set(admitted);
  const chartedUntil = now.getTime() - 3 * 3_600_000;
  sqlite.transaction(() => {
    for (const visit of visits) {
      const here = stillHere.has(visit.id);
      const startsAt = new Date(visit.admittedAt).toISOString();
      for (let p = 0; p < (here ? 3 : 1); p += 1) {
        const id = uuidv7();
        const frequency = FREQUENCIES[Math.floor(random() * FREQUENCIES.length)] ?? 'TDS';
        const endsAt = here ? null : new Date(visit.admittedAt + 4 * 86_400_000).toISOString();
        insertPrescription.run(
          id,
          hospital,
          visit.id,
          visit.patientId,
          DRUGS[p + Math.floor(random() * 5)] ?? 'Paracetamol',
          frequency,
          startsAt,
          endsAt,
          here ? 'active' : 'completed',
          doctorId,
        );
        const until = here ? new Date(chartedUntil).toISOString() : (endsAt ?? startsAt);
        for (const scheduledFor of scheduledDoses(
          { frequency, startsAt, endsAt },
          startsAt,
          until,
        )) {
          insertDose.run(
            uuidv7(),
            hospital,
            id,
            visit.id,
            visit.patientId,
            scheduledFor,
            scheduledFor,
            nurseId,
          );
        }
      }
      for (let l = 0; l < (here ? Math.floor(random() * 4) : 1); l += 1) {
        const status = here
          ? (LAB_STATUSES[Math.floor(random() * LAB_STATUSES.length)] ?? 'pending')
          : 'completed';
        const urgency = random() < 0.2 ? 'urgent' : 'routine';
        const orderedAt = new Date(
          visit.admittedAt + Math.floor(random() * 86_400_000),
        ).toISOString();
        insertLab.run(
          uuidv7(),
          hospital,
          visit.id,
          visit.patientId,
          urgency,
          status,
          doctorId,
          orderedAt,
          status === 'completed' ? 'Hb 128 g/L' : null,
        );
      }
    }
  })();
}

/** The demo's nurse, who opens the charts the read benches time (each open is audited). */
export function demoNurse() {
  const userId = demoUserId('nurse@hass.example');
  return { userId, hospitalId: DEMO_HOSPITAL_ID, signer: newSigningKey(userId).signer };
}

/**
 * Ward board, patient search and chart open latencies on the encrypted and the unencrypted
 * replica of the same hospital, side by side: the same ward, query or chart on each in turn.
 */
function measureReads(dbs: readonly [LocalDb, LocalDb], hospital: GeneratedHospital, now: Date) {
  const random = seededRandom(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // 1,000 samples each: with 400, a p99 is the 4th-slowest and swings ±30% between calm runs.
  const wards = Array.from({ length: 1000 }, () => pick(hospital.wardIds));
  const board = sampleInTurn(dbs, wards.length, (db, i) =>
    getWardBoard(db, { wardId: wards[i] ?? '', now }),
  );
  const queries = Array.from({ length: 400 }, (_, i) => {
    const patient = pick(hospital.patients);
    switch (i % 4) {
      case 0:
        return patient.lastName.slice(0, 3).toLowerCase();
      case 1:
        return `${patient.firstName} ${patient.lastName.slice(0, 2)}`;
      case 2:
        return patient.mrn;
      default:
        return patient.dateOfBirth;
    }
  });
  const search = sampleInTurn(dbs, queries.length, (db, i) =>
    searchPatients(db, DEMO_HOSPITAL_ID, { query: queries[i] ?? 'smith' }),
  );
  const actor = demoNurse();
  const patientIds = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0 ? pick(hospital.admittedPatientIds) : pick(hospital.patients).id,
  );
  const charts = sampleInTurn(dbs, patientIds.length, (db, i) =>
    openChart({ db, clock: systemClock, actor }, { patientId: patientIds[i] ?? '' }),
  );
  const of = (samples: number[][], which: number) => samples[which] ?? [];
  return {
    encrypted: { board: of(board, 0), search: of(search, 0), charts: of(charts, 0) },
    unencrypted: { board: of(board, 1), search: of(search, 1), charts: of(charts, 1) },
  };
}

/**
 * The hospital is generated once, unencrypted; a copy is encrypted in place as a first start of
 * this version would (timed), and both are read side by side: the encrypted figures are the
 * product's, their ratio to the unencrypted ones the cost of encryption.
 */
export default function benchReads(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-reads-'));
  try {
    const file = join(dir, 'replica.db');
    const plainFile = join(dir, 'plain.db');
    const generating = openLocalDatabase(file, { key: null });
    const now = new Date('2026-11-23T08:00:00.000Z');
    seedLocalDatabase(generating, { demo: true, now });
    const sizes = { patients: ctx.size(100_000), vitals: ctx.size(5_000_000) };
    const loadStart = performance.now();
    const hospital = generateHospital(generating, sizes, now);
    ctx.log(
      `generated ${sizes.patients} patients, ${sizes.vitals} vitals in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );
    generating.$client.close();
    copyFileSync(file, plainFile);

    const key = newReplicaKey();
    const sealStart = performance.now();
    encryptPlaintextReplica(file, key);
    ctx.log(
      `encrypted in place (first start after the upgrade) in ${((performance.now() - sealStart) / 1000).toFixed(1)} s, ${(statSync(file).size / 1e6).toFixed(0)} MB`,
    );
    const sealed = openLocalDatabase(file, { key });
    const plain = openLocalDatabase(plainFile, { key: null });
    ctx.log('reads, encrypted and unencrypted side by side…');
    const { encrypted, unencrypted } = measureReads([sealed, plain], hospital, now);
    sealed.$client.close();
    plain.$client.close();

    const p99 = (samples: readonly number[]) => percentile(samples, 99);
    const same = 'the same reads on the unencrypted replica, same run';
    return Promise.resolve([
      ...latencyFigures('workstation.ward_board', encrypted.board, 10, sizes.patients),
      ...latencyFigures('workstation.patient_search', encrypted.search, 20, sizes.patients),
      ...latencyFigures('workstation.chart_open', encrypted.charts, 10, sizes.vitals),
      overheadFigure({
        figure: 'encryption.ward_board.p99',
        valueMs: p99(encrypted.board),
        baselineMs: p99(unencrypted.board),
        baseline: same,
        maxRatio: 1.25,
        size: sizes.patients,
      }),
      overheadFigure({
        figure: 'encryption.chart_open.p99',
        valueMs: p99(encrypted.charts),
        baselineMs: p99(unencrypted.charts),
        baseline: same,
        maxRatio: 1.25,
        size: sizes.vitals,
      }),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
