import type { AbnormalFlag, VitalSign } from './schemas/vitals';

/**
 * Normal resting ranges for adults, inclusive, as most adult early-warning charts draw them
 * (temperature 36.1–37.8 °C, pulse 60–100/min, respirations 12–20/min, SpO2 95–100 %,
 * blood pressure 90–140 / 60–90 mmHg). A value outside is flagged for a nurse to look at; it is
 * never refused. Weight and height have no "normal" and are never flagged.
 */
export const ADULT_NORMAL_RANGES: Partial<Record<VitalSign, { low: number; high: number }>> = {
  temperatureC: { low: 36.1, high: 37.8 },
  heartRate: { low: 60, high: 100 },
  respiratoryRate: { low: 12, high: 20 },
  spo2: { low: 95, high: 100 },
  systolic: { low: 90, high: 140 },
  diastolic: { low: 60, high: 90 },
};

export type VitalReadings = Partial<Record<VitalSign, number | null>>;

export function flagAbnormal(readings: VitalReadings): AbnormalFlag[] {
  const flags: AbnormalFlag[] = [];
  for (const [sign, range] of Object.entries(ADULT_NORMAL_RANGES) as [
    VitalSign,
    { low: number; high: number },
  ][]) {
    const value = readings[sign];
    if (value === null || value === undefined) continue;
    if (value < range.low) flags.push({ sign, direction: 'low' });
    else if (value > range.high) flags.push({ sign, direction: 'high' });
  }
  return flags;
}

/** Body-mass index to one decimal, or null when either measure is missing. */
export function computeBmi(
  weightKg: number | null | undefined,
  heightCm: number | null | undefined,
) {
  if (!weightKg || !heightCm) return null;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}
