import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema } from './common';

/**
 * Bounds of what a measurement can physically be. They catch typos (a temperature of 375),
 * not illness: abnormal-but-possible values are accepted and flagged, never refused.
 */
export const VITAL_BOUNDS = {
  temperatureC: { min: 25, max: 45 },
  heartRate: { min: 20, max: 300 },
  systolic: { min: 40, max: 300 },
  diastolic: { min: 20, max: 200 },
  respiratoryRate: { min: 2, max: 80 },
  spo2: { min: 50, max: 100 },
  weightKg: { min: 0.3, max: 500 },
  heightCm: { min: 20, max: 280 },
} as const;

export type VitalSign = keyof typeof VITAL_BOUNDS;

const measurement = (sign: VitalSign, integer: boolean) => {
  const { min, max } = VITAL_BOUNDS[sign];
  const base = integer ? z.number().int() : z.number();
  return base.min(min).max(max).nullable();
};

export const AbnormalFlagSchema = z.object({
  sign: z.enum(Object.keys(VITAL_BOUNDS) as [VitalSign, ...VitalSign[]]),
  direction: z.enum(['low', 'high']),
});
export type AbnormalFlag = z.infer<typeof AbnormalFlagSchema>;

export const VitalsFieldsSchema = z.object({
  visitId: IdSchema,
  patientId: IdSchema,
  recordedAt: TimestampSchema,
  temperatureC: measurement('temperatureC', false),
  heartRate: measurement('heartRate', true),
  systolic: measurement('systolic', true),
  diastolic: measurement('diastolic', true),
  respiratoryRate: measurement('respiratoryRate', true),
  spo2: measurement('spo2', true),
  weightKg: measurement('weightKg', false),
  heightCm: measurement('heightCm', false),
  bmi: z.number().min(5).max(150).nullable(),
  abnormal: z.array(AbnormalFlagSchema),
  recordedBy: IdSchema,
  notes: z.string().trim().max(2000).nullable(),
  enteredInErrorId: IdSchema.nullable(),
});
export const VitalsSchema = SyncColumnsSchema.extend(VitalsFieldsSchema.shape);
export type Vitals = z.infer<typeof VitalsSchema>;
