import { Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DateInput, TimeInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { AppointmentFieldsSchema } from '../../../shared/schemas/appointments';
import { IdSchema } from '../../../shared/schemas/common';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useReceptionStore, type PickedPatient } from '../../stores/reception-store';
import { useTRPC } from '../../trpc/client';
import { FormActions } from '../../components/form-actions';

const BookingSchema = z.object({
  doctorId: IdSchema,
  day: z.iso.date(),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'Enter a time as HH:MM'),
  durationMinutes: AppointmentFieldsSchema.shape.durationMinutes,
  reason: AppointmentFieldsSchema.shape.reason,
});

export function BookAppointmentModal({
  patient,
  onClose,
}: {
  patient: PickedPatient;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { day, doctorId, setDay, setDoctor } = useReceptionStore();
  const doctors = useQuery(trpc.appointments.doctors.queryOptions());
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      doctorId,
      day: day,
      time: '',
      durationMinutes: 15 as number | string,
      reason: '',
    },
    validate: (values) =>
      zodValidate(BookingSchema)({ ...values, reason: values.reason.trim() || null }),
  });
  const book = useMutation(
    trpc.appointments.book.mutationOptions({
      onSuccess: async (_, input) => {
        notifySaved(`Booked ${patient.name} at ${dayjs(input.scheduledAt).format('D MMM HH:mm')}.`);
        setDay(dayjs(input.scheduledAt).format('YYYY-MM-DD'));
        setDoctor(null);
        await queryClient.invalidateQueries({ queryKey: trpc.appointments.list.queryKey() });
        onClose();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Book an appointment: ${patient.name}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          book.mutate({
            patientId: patient.id,
            doctorId: values.doctorId ?? '',
            scheduledAt: dayjs(`${values.day}T${values.time}`).toISOString(),
            durationMinutes: Number(values.durationMinutes),
            reason: values.reason.trim() || null,
          });
        })}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {patient.mrn}
          </Text>
          <SimpleGrid cols={2}>
            <Select
              label="Doctor"
              withAsterisk
              data-autofocus
              data={(doctors.data ?? []).map((d) => ({ value: d.id, label: d.fullName }))}
              {...form.getInputProps('doctorId')}
            />
            <DateInput
              label="Day"
              withAsterisk
              valueFormat="YYYY-MM-DD"
              placeholder="YYYY-MM-DD"
              {...form.getInputProps('day')}
            />
            <TimeInput label="Time" withAsterisk {...form.getInputProps('time')} />
            <NumberInput
              label="Minutes"
              min={5}
              max={480}
              step={5}
              {...form.getInputProps('durationMinutes')}
            />
          </SimpleGrid>
          <TextInput label="Reason" {...form.getInputProps('reason')} />
          <FormActions onCancel={onClose} loading={book.isPending} submitLabel="Book" />
        </Stack>
      </form>
    </Modal>
  );
}
