/**
 * Record a set of observations, or correct an earlier set (the old one is then marked entered in
 * error). A value outside the normal range is accepted and marked as the nurse types.
 */
import { Button, Group, Modal, NumberInput, SimpleGrid, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { VitalsFieldsSchema, type VitalSign } from '../../../shared/schemas/vitals';
import { flagAbnormal, type VitalReadings } from '../../../shared/vital-ranges';
import { notifyFailure, notifySaved } from '../../components/notify';
import { VITAL_LABELS } from '../../components/vital-signs';
import { zodValidate } from '../../forms/zod-form';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart } from './use-chart';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const VITALS_NOTES_MAX = textLimit('vitals', 'notes');

const SIGNS: VitalSign[] = [
  'temperatureC',
  'heartRate',
  'systolic',
  'diastolic',
  'respiratoryRate',
  'spo2',
  'weightKg',
  'heightCm',
];
const shape = VitalsFieldsSchema.shape;

const ReadingsSchema = z
  .object({
    temperatureC: shape.temperatureC.optional(),
    heartRate: shape.heartRate.optional(),
    systolic: shape.systolic.optional(),
    diastolic: shape.diastolic.optional(),
    respiratoryRate: shape.respiratoryRate.optional(),
    spo2: shape.spo2.optional(),
    weightKg: shape.weightKg.optional(),
    heightCm: shape.heightCm.optional(),
    notes: shape.notes.optional(),
  })
  .refine((values) => SIGNS.some((sign) => typeof values[sign] === 'number'), {
    message: 'Enter at least one reading',
    path: ['temperatureC'],
  });

type FormValues = Record<VitalSign, number | string> & { notes: string };
type Readings = Partial<Record<VitalSign, number>>;

function toReadings(values: FormValues): Readings & { notes?: string } {
  const readings: Readings & { notes?: string } = {};
  for (const sign of SIGNS) {
    const value = values[sign];
    if (typeof value === 'number') readings[sign] = value;
  }
  if (values.notes.trim() !== '') readings.notes = values.notes.trim();
  return readings;
}

const EMPTY: FormValues = {
  temperatureC: '',
  heartRate: '',
  systolic: '',
  diastolic: '',
  respiratoryRate: '',
  spo2: '',
  weightKg: '',
  heightCm: '',
  notes: '',
};

export interface VitalsCorrection {
  id: string;
  readings: Partial<Record<VitalSign, number | null>>;
}

export function RecordVitalsModal({
  visitId,
  correcting,
  opened,
  onClose,
}: {
  visitId: string;
  correcting: VitalsCorrection | null;
  opened: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const validate = zodValidate(ReadingsSchema);
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: correcting ? { ...EMPTY, ...withoutNulls(correcting.readings) } : EMPTY,
    validate: (values) => validate(toReadings(values)),
  });
  const done = {
    onSuccess: async (_: unknown, input: VitalReadings) => {
      const flags = flagAbnormal(input);
      notifySaved(
        flags.length > 0
          ? `Vitals saved. Outside the normal range: ${flags.map((f) => `${VITAL_LABELS[f.sign].long} ${f.direction}`).join(', ')}.`
          : 'Vitals saved.',
      );
      form.reset();
      onClose();
      await refresh();
    },
    onError: notifyFailure,
  };
  const record = useMutation(trpc.vitals.record.mutationOptions(done));
  const correct = useMutation(trpc.vitals.correct.mutationOptions(done));
  const flags = flagAbnormal(toReadings(form.getValues()));
  const flagOf = (sign: VitalSign) => flags.find((flag) => flag.sign === sign)?.direction;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        correcting
          ? 'Correct vitals (the earlier entry is marked entered in error)'
          : 'Record vitals'
      }
      size="lg"
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          const readings = toReadings(values);
          if (correcting) correct.mutate({ ...readings, enteredInErrorId: correcting.id });
          else record.mutate({ ...readings, visitId });
        })}
      >
        <SimpleGrid cols={4} spacing="sm">
          {SIGNS.map((sign, index) => {
            const direction = flagOf(sign);
            return (
              <NumberInput
                key={sign}
                label={`${VITAL_LABELS[sign].long} (${VITAL_LABELS[sign].unit})`}
                decimalScale={
                  sign === 'temperatureC' || sign === 'weightKg' || sign === 'heightCm' ? 1 : 0
                }
                hideControls
                data-autofocus={index === 0 ? true : undefined}
                description={
                  direction ? (
                    <Text span c="red.9" fw={700} size="xs">
                      {direction === 'high' ? 'High ↑' : 'Low ↓'}
                    </Text>
                  ) : (
                    ' '
                  )
                }
                {...form.getInputProps(sign)}
              />
            );
          })}
        </SimpleGrid>
        <Textarea
          label="Notes"
          description={describeTextLimit(VITALS_NOTES_MAX)}
          maxLength={VITALS_NOTES_MAX}
          mt="sm"
          autosize
          minRows={2}
          {...form.getInputProps('notes')}
        />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={record.isPending || correct.isPending}>
            {correcting ? 'Save correction' : 'Save vitals'}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

function withoutNulls(
  readings: Partial<Record<VitalSign, number | null>>,
): Partial<Record<VitalSign, number>> {
  const out: Partial<Record<VitalSign, number>> = {};
  for (const sign of SIGNS) {
    const value = readings[sign];
    if (typeof value === 'number') out[sign] = value;
  }
  return out;
}
