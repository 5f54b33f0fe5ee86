/** One vitals row's measured values as the replica's raw SQL returns them (snake_case columns). */
export function vitalValues(row: Record<string, unknown>) {
  const num = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    recordedAt: String(row.recorded_at),
    temperatureC: num(row.temperature_c),
    heartRate: num(row.heart_rate),
    systolic: num(row.systolic),
    diastolic: num(row.diastolic),
    respiratoryRate: num(row.respiratory_rate),
    spo2: num(row.spo2),
  };
}
