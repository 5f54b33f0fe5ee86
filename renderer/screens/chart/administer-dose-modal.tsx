import { Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { MedicationAdministrationFieldsSchema } from '../../../shared/schemas/medications';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart } from './use-chart';
import { FormActions } from '../../components/form-actions';

export interface DoseAction {
  prescriptionId: string;
  drug: string;
  status: 'given' | 'held' | 'refused';
}

const VERBS: Record<DoseAction['status'], string> = {
  given: 'Give',
  held: 'Hold',
  refused: 'Patient refused',
};

// The shared rule (a held or refused dose says why), checked here on the fields the nurse fills in.
const DoseSchema = MedicationAdministrationFieldsSchema.pick({
  status: true,
  reason: true,
  scheduledFor: true,
}).refine((entry) => entry.status === 'given' || (entry.reason ?? '') !== '', {
  message: 'Say why the dose was held or refused',
  path: ['reason'],
});

/** Due times to choose from: the hours around now, the current one first. */
function dueSlots(now = dayjs()) {
  const hour = now.startOf('hour');
  return [0, -1, -2, -3, -4, -5, -6, 1, 2].map((offset) => {
    const at = hour.add(offset, 'hour');
    return { value: at.toISOString(), label: at.format('D MMM HH:mm') };
  });
}

export function AdministerDoseModal({
  action,
  onClose,
}: {
  action: DoseAction;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const slots = dueSlots();
  const form = useForm({
    mode: 'controlled',
    initialValues: { status: action.status, reason: '', scheduledFor: slots[0]?.value ?? '' },
    validate: (values) =>
      zodValidate(DoseSchema)({ ...values, reason: values.reason.trim() || null }),
  });
  const record = useMutation(
    trpc.mar.record.mutationOptions({
      onSuccess: async () => {
        notifySaved(`${action.drug}: ${action.status}.`);
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`${VERBS[action.status]}: ${action.drug}`}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          record.mutate({
            prescriptionId: action.prescriptionId,
            status: action.status,
            scheduledFor: values.scheduledFor,
            reason: values.reason.trim() || null,
          });
        })}
      >
        <Stack gap="sm">
          <Select
            label="Dose due at"
            data={slots}
            allowDeselect={false}
            data-autofocus
            {...form.getInputProps('scheduledFor')}
          />
          <Textarea
            label={action.status === 'given' ? 'Note (optional)' : 'Why'}
            withAsterisk={action.status !== 'given'}
            {...form.getInputProps('reason')}
          />
          <Text size="xs" c="dimmed">
            Charted now by you. A second “given” for the same due time is refused.
          </Text>
          <FormActions onCancel={onClose} loading={record.isPending} submitLabel="Chart dose" />
        </Stack>
      </form>
    </Modal>
  );
}
