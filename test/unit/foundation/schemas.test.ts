import { describe, expect, it } from 'vitest';
import { RoleNameSchema, UserFieldsSchema } from '../../../shared/schemas/access';
import { VitalsFieldsSchema } from '../../../shared/schemas/vitals';
import { PatientFieldsSchema } from '../../../shared/schemas/patients';
import { MutationSchema } from '../../../shared/protocol';
import { describeZodError, fieldErrors } from '../../../shared/validation';

const validVitals = {
  visitId: '0190f5d2-7c1a-7000-8000-000000000001',
  patientId: '0190f5d2-7c1a-7000-8000-000000000002',
  recordedAt: '2026-11-23T08:00:00.000Z',
  temperatureC: 37.2,
  heartRate: 88,
  systolic: 124,
  diastolic: 78,
  respiratoryRate: 16,
  spo2: 97,
  weightKg: 70,
  heightCm: 172,
  bmi: 23.7,
  abnormal: [],
  recordedBy: '0190f5d2-7c1a-7000-8000-000000000003',
  notes: null,
  enteredInErrorId: null,
};

describe('shared zod schemas', () => {
  it('accept a well-formed vitals record', () => {
    expect(VitalsFieldsSchema.safeParse(validVitals).success).toBe(true);
  });

  it('name the field of a malformed vitals record', () => {
    const result = VitalsFieldsSchema.safeParse({
      ...validVitals,
      temperatureC: 375,
      heartRate: 'fast',
      recordedAt: 'yesterday',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const fields = fieldErrors(result.error).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['temperatureC', 'heartRate', 'recordedAt']));
    expect(describeZodError(result.error)).toMatch(/temperatureC: .*45/);
  });

  it('refuse an unknown role and name the field', () => {
    expect(RoleNameSchema.safeParse('janitor').success).toBe(false);
    const result = UserFieldsSchema.safeParse({
      email: 'x@hass.example',
      fullName: 'X',
      role: 'janitor',
      regionId: null,
      active: true,
      failedLoginCount: 0,
      lockedUntil: null,
      lastLoginAt: null,
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)[0]?.field).toBe('role');
  });

  it('refuse a nested allergy without a substance, naming the path', () => {
    const result = PatientFieldsSchema.shape.allergies.safeParse([{ substance: '' }]);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)[0]?.field).toBe('0.substance');
  });

  it('refuse a mutation with an unknown op', () => {
    const result = MutationSchema.safeParse({
      mutationId: '0190f5d2-7c1a-7000-8000-000000000009',
      deviceSeq: 1,
      userId: '0190f5d2-7c1a-7000-8000-000000000003',
      table: 'vitals',
      op: 'upsert',
      id: '0190f5d2-7c1a-7000-8000-000000000004',
      baseVersion: null,
      data: {},
      clientTime: '2026-11-23T08:00:00.000Z',
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)[0]?.field).toBe('op');
  });
});
