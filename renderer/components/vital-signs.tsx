/**
 * Vital signs as a nurse reads them: short labels, units, and abnormal values marked in colour
 * AND in words (arrow plus "high"/"low" for screen readers), never by colour alone.
 */
import { Group, Text } from '@mantine/core';
import type { AbnormalFlag, VitalSign } from '../../shared/schemas/vitals';

export const VITAL_LABELS: Record<VitalSign, { short: string; long: string; unit: string }> = {
  temperatureC: { short: 'T', long: 'Temperature', unit: '°C' },
  heartRate: { short: 'HR', long: 'Heart rate', unit: '/min' },
  systolic: { short: 'Sys', long: 'Systolic BP', unit: 'mmHg' },
  diastolic: { short: 'Dia', long: 'Diastolic BP', unit: 'mmHg' },
  respiratoryRate: { short: 'RR', long: 'Respiratory rate', unit: '/min' },
  spo2: { short: 'SpO₂', long: 'SpO₂', unit: '%' },
  weightKg: { short: 'Wt', long: 'Weight', unit: 'kg' },
  heightCm: { short: 'Ht', long: 'Height', unit: 'cm' },
};

export type Readings = Partial<Record<VitalSign, number | null>>;

export function flagOf(
  flags: readonly AbnormalFlag[],
  sign: VitalSign,
): AbnormalFlag['direction'] | null {
  return flags.find((flag) => flag.sign === sign)?.direction ?? null;
}

const ONE_DECIMAL: readonly VitalSign[] = ['temperatureC', 'weightKg', 'heightCm'];

export function formatReading(sign: VitalSign, value: number): string {
  return ONE_DECIMAL.includes(sign) ? value.toFixed(1) : String(Math.round(value));
}

/** One reading, highlighted when flagged. */
export function VitalValue({
  sign,
  value,
  flags,
}: {
  sign: VitalSign;
  value: number | null | undefined;
  flags: readonly AbnormalFlag[];
}) {
  if (value === null || value === undefined)
    return (
      <Text span c="dimmed">
        –
      </Text>
    );
  const direction = flagOf(flags, sign);
  const shown = formatReading(sign, value);
  if (!direction) return <Text span>{shown}</Text>;
  return (
    <Text
      span
      fw={700}
      c="red.9"
      bg="red.0"
      px={3}
      data-abnormal={direction}
      title={`${VITAL_LABELS[sign].long} ${direction}`}
    >
      {shown}
      <span aria-hidden="true">{direction === 'high' ? '↑' : '↓'}</span>
      <span className="visually-hidden"> ({direction})</span>
    </Text>
  );
}

/** The compact line of a ward-board card: T, HR, BP, RR, SpO₂. */
export function VitalsLine({
  readings,
  flags,
}: {
  readings: Readings;
  flags: readonly AbnormalFlag[];
}) {
  const item = (label: string, content: React.ReactNode) => (
    <Text span size="sm" key={label}>
      <Text span c="dimmed" size="xs">
        {label}{' '}
      </Text>
      {content}
    </Text>
  );
  return (
    <Group gap={8} wrap="wrap">
      {item('T', <VitalValue sign="temperatureC" value={readings.temperatureC} flags={flags} />)}
      {item('HR', <VitalValue sign="heartRate" value={readings.heartRate} flags={flags} />)}
      {item(
        'BP',
        <>
          <VitalValue sign="systolic" value={readings.systolic} flags={flags} />/
          <VitalValue sign="diastolic" value={readings.diastolic} flags={flags} />
        </>,
      )}
      {item(
        'RR',
        <VitalValue sign="respiratoryRate" value={readings.respiratoryRate} flags={flags} />,
      )}
      {item('SpO₂', <VitalValue sign="spo2" value={readings.spo2} flags={flags} />)}
    </Group>
  );
}
