/**
 * The demo data set of SYNC-PROTOCOL.md: region NORTH, North General Hospital (NGH), one user
 * per role, and a ward's worth of patients with some hours of history; on the server also South
 * General Hospital (SGH), small, so that tenancy can be tried (a replica holds one hospital).
 * Ids are stable so that loading twice changes nothing; times are relative to `now` at the first
 * load. Demo only: these credentials must never exist outside demo mode.
 */
import { flagAbnormal, computeBmi } from '../../shared/vital-ranges';
import { stableId } from '../../shared/reference-data';
import type { Role } from '../../shared/roles';

type Row = Record<string, unknown> & { id: string };
export type DemoData = Record<string, Row[]>;

export const DEMO_REGION_CODE = 'NORTH';
export const DEMO_HOSPITAL_CODE = 'NGH';
export const DEMO_HOSPITAL_ID = stableId('hospital', DEMO_HOSPITAL_CODE);
const regionId = stableId('region', DEMO_REGION_CODE);
const hospitalId = DEMO_HOSPITAL_ID;

export interface DemoUser {
  email: string;
  password: string;
  fullName: string;
  role: Role;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: 'admin@hass.example',
    password: 'admin123',
    fullName: 'Alex Morgan',
    role: 'super_admin',
  },
  {
    email: 'regional@hass.example',
    password: 'regional123',
    fullName: 'Rhea Lindqvist',
    role: 'regional_admin',
  },
  {
    email: 'manager@hass.example',
    password: 'manager123',
    fullName: 'Sam Whitaker',
    role: 'manager',
  },
  {
    email: 'doctor@hass.example',
    password: 'doctor123',
    fullName: 'Dr Dana Okafor',
    role: 'doctor',
  },
  { email: 'nurse@hass.example', password: 'nurse123', fullName: 'Nina Patel', role: 'nurse' },
  {
    email: 'labtech@hass.example',
    password: 'labtech123',
    fullName: 'Leo Fernandes',
    role: 'lab_tech',
  },
  {
    email: 'pharmacist@hass.example',
    password: 'pharmacist123',
    fullName: 'Priya Nair',
    role: 'pharmacist',
  },
  {
    email: 'reception@hass.example',
    password: 'reception123',
    fullName: 'Rosa Jimenez',
    role: 'reception',
  },
  {
    email: 'patient@hass.example',
    password: 'patient123',
    fullName: 'Paul Becker',
    role: 'patient',
  },
];

export const demoUserId = (email: string) => stableId('user', email);

const WARDS = [
  { code: 'MED-A', name: 'Medical Ward A', floor: 2, bedPrefix: 'A' },
  { code: 'SURG-B', name: 'Surgical Ward B', floor: 3, bedPrefix: 'B' },
] as const;
const BEDS_PER_WARD = 8;

const PATIENTS = [
  {
    first: 'Margaret',
    last: 'Hughes',
    dob: '1948-03-14',
    sex: 'female',
    allergies: [{ substance: 'Penicillin', reaction: 'Rash', severity: 'moderate' }],
  },
  { first: 'Tomasz', last: 'Kowalski', dob: '1961-11-02', sex: 'male', allergies: [] },
  {
    first: 'Aisha',
    last: 'Bello',
    dob: '1987-07-23',
    sex: 'female',
    allergies: [{ substance: 'Latex', severity: 'severe' }],
  },
  { first: 'George', last: 'Whitfield', dob: '1939-01-30', sex: 'male', allergies: [] },
  { first: 'Mei', last: 'Tanaka', dob: '1975-05-09', sex: 'female', allergies: [] },
  {
    first: 'Daniel',
    last: 'Osei',
    dob: '2001-09-17',
    sex: 'male',
    allergies: [{ substance: 'Ibuprofen', reaction: 'Wheeze', severity: 'moderate' }],
  },
] as const;

const hoursAgo = (now: Date, hours: number) =>
  new Date(now.getTime() - hours * 3_600_000).toISOString();

function organisation(): DemoData {
  const wards = WARDS.map((ward) => ({
    id: stableId('ward', `${DEMO_HOSPITAL_CODE}/${ward.code}`),
    hospitalId,
    code: ward.code,
    name: ward.name,
    floor: ward.floor,
  }));
  const beds = WARDS.flatMap((ward) =>
    Array.from({ length: BEDS_PER_WARD }, (_, index) => {
      const number = `${ward.bedPrefix}-${String(index + 1).padStart(2, '0')}`;
      return {
        id: stableId('bed', `${DEMO_HOSPITAL_CODE}/${number}`),
        hospitalId,
        wardId: stableId('ward', `${DEMO_HOSPITAL_CODE}/${ward.code}`),
        number,
        floor: ward.floor,
        status: number === 'B-08' ? 'maintenance' : 'available',
      };
    }),
  );
  return {
    regions: [
      {
        id: regionId,
        hospitalId: null,
        code: DEMO_REGION_CODE,
        name: 'Northern Region',
        themeSettings: { accent: '#0b6e4f' },
      },
    ],
    hospitals: [
      {
        id: hospitalId,
        hospitalId,
        code: DEMO_HOSPITAL_CODE,
        name: 'North General Hospital',
        regionId,
        bedCapacity: WARDS.length * BEDS_PER_WARD,
      },
    ],
    wards,
    beds,
    users: DEMO_USERS.map((user) => ({
      id: demoUserId(user.email),
      hospitalId: user.role === 'super_admin' || user.role === 'regional_admin' ? null : hospitalId,
      email: user.email,
      fullName: user.fullName,
      role: user.role,
      regionId,
      active: true,
      failedLoginCount: 0,
      lockedUntil: null,
      lastLoginAt: null,
    })),
  };
}

function care(now: Date, data: DemoData): DemoData {
  const doctorId = demoUserId('doctor@hass.example');
  const nurseId = demoUserId('nurse@hass.example');
  const beds = data.beds ?? [];
  const rows: DemoData = { patients: [], visits: [], vitals: [], emr_local: [] };
  PATIENTS.forEach((person, index) => {
    const patientId = stableId('patient', `${DEMO_HOSPITAL_CODE}/${index + 1}`);
    const visitId = stableId('visit', `${DEMO_HOSPITAL_CODE}/${index + 1}`);
    const bed = beds[index < 4 ? index : BEDS_PER_WARD + index - 4];
    if (!bed) throw new Error(`demo data: no bed for patient ${index + 1}`);
    bed.status = 'occupied';
    const admittedAt = hoursAgo(now, 24 * (index + 1) + 3);
    rows.patients?.push({
      id: patientId,
      hospitalId,
      mrn: `NGH-${String(index + 1).padStart(6, '0')}`,
      firstName: person.first,
      lastName: person.last,
      dateOfBirth: person.dob,
      sex: person.sex,
      phone: `+44 7700 900${String(100 + index)}`,
      email: null,
      address: `${12 + index} Harbour Road, Northport`,
      emergencyContactName: null,
      emergencyContactPhone: null,
      allergies: person.allergies,
    });
    rows.visits?.push({
      id: visitId,
      hospitalId,
      patientId,
      wardId: bed.wardId,
      bedId: bed.id,
      attendingDoctorId: doctorId,
      status: 'admitted',
      admissionReason: [
        'Community-acquired pneumonia',
        'Chest pain, rule out ACS',
        'Post-operative care',
        'Fall with hip fracture',
        'Cellulitis of the left leg',
        'Appendicectomy',
      ][index],
      admittedAt,
      dischargedAt: null,
      dischargeSummary: null,
    });
    rows.emr_local?.push({
      id: stableId('emr_local', visitId),
      hospitalId,
      visitId,
      patientId,
      kind: 'visit_record',
      body: {
        presentingComplaint: rows.visits?.at(-1)?.admissionReason,
        history: 'See admission notes.',
      },
    });
    for (let hour = 6; hour >= 1; hour -= 1) {
      // Patient 1 is deteriorating: her last readings show a fever and low saturation.
      const febrile = index === 0 && hour <= 2;
      const readings = {
        temperatureC: febrile ? 38.6 : 36.6 + ((index + hour) % 5) / 10,
        heartRate: febrile ? 112 : 68 + ((index * 7 + hour * 3) % 20),
        systolic: 118 + ((index * 5 + hour) % 15),
        diastolic: 72 + ((index + hour * 2) % 10),
        respiratoryRate: febrile ? 24 : 14 + ((index + hour) % 4),
        spo2: febrile ? 91 : 96 + ((index + hour) % 4),
        weightKg: 62 + index * 6,
        heightCm: 160 + index * 4,
      };
      rows.vitals?.push({
        id: stableId('vitals', `${visitId}/${hour}`),
        hospitalId,
        visitId,
        patientId,
        recordedAt: hoursAgo(now, hour),
        ...readings,
        bmi: computeBmi(readings.weightKg, readings.heightCm),
        abnormal: flagAbnormal(readings),
        recordedBy: nurseId,
        notes: null,
        enteredInErrorId: null,
      });
    }
  });
  return rows;
}

function orders(now: Date, data: DemoData): DemoData {
  const doctorId = demoUserId('doctor@hass.example');
  const [firstVisit, secondVisit] = data.visits ?? [];
  const [thirdPatient] = (data.patients ?? []).slice(2);
  if (!firstVisit || !secondVisit || !thirdPatient) throw new Error('demo data: care rows missing');
  const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
  nextWeek.setUTCHours(10, 30, 0, 0);
  const inDays = (days: number) =>
    new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const stockItemId = (sku: string) => stableId('inventory', `${DEMO_HOSPITAL_CODE}/${sku}`);
  const stock = [
    {
      name: 'Paracetamol 500 mg tablets',
      itemType: 'medication',
      sku: 'MED-PARA-500',
      openingStock: 1200,
      unit: 'tablet',
      threshold: 200,
      expiresOn: inDays(400),
      location: 'Pharmacy A1',
    },
    {
      name: 'Sodium chloride 0.9% 1 L',
      itemType: 'medication',
      sku: 'MED-NACL-1L',
      openingStock: 8,
      unit: 'bag',
      threshold: 20,
      expiresOn: inDays(300),
      location: 'Store 2',
    },
    {
      name: 'Insulin glargine 100 units/mL',
      itemType: 'medication',
      sku: 'MED-INS-GLA',
      openingStock: 30,
      unit: 'pen',
      threshold: 10,
      expiresOn: inDays(10),
      location: 'Fridge 1',
    },
    {
      name: 'Nitrile gloves, medium',
      itemType: 'supply',
      sku: 'SUP-GLV-M',
      openingStock: 2400,
      unit: 'glove',
      threshold: 500,
      expiresOn: null,
      location: 'Store 1',
    },
    {
      name: 'Infusion pump',
      itemType: 'equipment',
      sku: 'EQP-PUMP',
      openingStock: 6,
      unit: 'unit',
      threshold: 2,
      expiresOn: null,
      location: 'Equipment room',
    },
  ];
  return {
    lab_tests: [
      {
        id: stableId('lab_test', `${firstVisit.id}/CBC`),
        hospitalId,
        visitId: firstVisit.id,
        patientId: firstVisit.patientId,
        testCode: 'CBC',
        testName: 'Complete blood count',
        urgency: 'urgent',
        status: 'pending',
        orderedBy: doctorId,
        orderedAt: hoursAgo(now, 1),
        acceptedBy: null,
        acceptedAt: null,
        startedAt: null,
        completedAt: null,
        result: null,
        reportAttachment: null,
        cancellationReason: null,
      },
    ],
    prescriptions: [
      {
        id: stableId('prescription', `${secondVisit.id}/amoxicillin`),
        hospitalId,
        visitId: secondVisit.id,
        patientId: secondVisit.patientId,
        drug: 'Amoxicillin',
        dose: '500 mg',
        frequency: 'Three times daily',
        route: 'oral',
        durationDays: 7,
        startsAt: hoursAgo(now, 20),
        endsAt: null,
        status: 'active',
        prescribedBy: doctorId,
        notes: 'Take with food.',
      },
    ],
    appointments: [
      {
        id: stableId('appointment', `${thirdPatient.id}/follow-up`),
        hospitalId,
        patientId: thirdPatient.id,
        doctorId,
        scheduledAt: nextWeek.toISOString(),
        durationMinutes: 20,
        status: 'scheduled',
        reason: 'Follow-up after discharge',
        checkedInAt: null,
        cancellationReason: null,
      },
    ],
    inventory: stock.map(({ openingStock: _opening, ...item }) => ({
      id: stockItemId(item.sku),
      hospitalId,
      ...item,
    })),
    // Stock is the sum of its movements: the demo's opening stock arrived a week ago.
    inventory_movements: stock.map((item) => ({
      id: stableId('inventory_movement', `${DEMO_HOSPITAL_CODE}/${item.sku}/opening`),
      hospitalId,
      itemId: stockItemId(item.sku),
      kind: 'received',
      quantity: item.openingStock,
      reason: 'Opening stock',
      recordedBy: demoUserId('pharmacist@hass.example'),
      recordedAt: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
    })),
  };
}

/** The whole demo set, keyed by synced table name, rows in wire shape (camelCase). */
export function buildDemoData(now: Date): DemoData {
  const data = organisation();
  Object.assign(data, care(now, data));
  Object.assign(data, orders(now, data));
  return data;
}

export const SECOND_HOSPITAL_CODE = 'SGH';
export const SECOND_HOSPITAL_ID = stableId('hospital', SECOND_HOSPITAL_CODE);

/** SGH's staff: one nurse, enough to sign in on an SGH workstation. */
export const SECOND_HOSPITAL_USERS: readonly DemoUser[] = [
  { email: 'nurse.sgh@hass.example', password: 'nurse123', fullName: 'Sofia Grant', role: 'nurse' },
];

/** South General Hospital: one ward, four beds, one admitted patient, one nurse. */
export function buildSecondHospitalData(now: Date): DemoData {
  const code = SECOND_HOSPITAL_CODE;
  const sgh = SECOND_HOSPITAL_ID;
  const wardId = stableId('ward', `${code}/GEN-S`);
  const beds = ['S-01', 'S-02', 'S-03', 'S-04'].map((number, index) => ({
    id: stableId('bed', `${code}/${number}`),
    hospitalId: sgh,
    wardId,
    number,
    floor: 1,
    status: index === 0 ? 'occupied' : 'available',
  }));
  const patientId = stableId('patient', `${code}/1`);
  return {
    hospitals: [
      {
        id: sgh,
        hospitalId: sgh,
        code,
        name: 'South General Hospital',
        regionId,
        bedCapacity: beds.length,
      },
    ],
    wards: [{ id: wardId, hospitalId: sgh, code: 'GEN-S', name: 'General Ward S', floor: 1 }],
    beds,
    users: SECOND_HOSPITAL_USERS.map((user) => ({
      id: demoUserId(user.email),
      hospitalId: sgh,
      email: user.email,
      fullName: user.fullName,
      role: user.role,
      regionId,
      active: true,
      failedLoginCount: 0,
      lockedUntil: null,
      lastLoginAt: null,
    })),
    patients: [
      {
        id: patientId,
        hospitalId: sgh,
        mrn: `${code}-000001`,
        firstName: 'Hannah',
        lastName: 'Reyes',
        dateOfBirth: '1958-04-21',
        sex: 'female',
        phone: null,
        email: null,
        address: '3 Quay Street, Southport',
        emergencyContactName: null,
        emergencyContactPhone: null,
        allergies: [],
      },
    ],
    visits: [
      {
        id: stableId('visit', `${code}/1`),
        hospitalId: sgh,
        patientId,
        wardId,
        bedId: beds[0]?.id ?? null,
        attendingDoctorId: null,
        status: 'admitted',
        admissionReason: 'Exacerbation of COPD',
        admittedAt: hoursAgo(now, 30),
        dischargedAt: null,
        dischargeSummary: null,
      },
    ],
  };
}
