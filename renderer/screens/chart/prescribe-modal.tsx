import { Modal, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { PrescriptionFieldsSchema, ROUTES } from '../../../shared/schemas/medications';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart } from './use-chart';
import { FormActions } from '../../components/form-actions';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const PRESCRIPTION_NOTES_MAX = textLimit('prescriptions', 'notes');

const PrescriptionFormSchema = PrescriptionFieldsSchema.pick({
  drug: true,
  dose: true,
  frequency: true,
  route: true,
  durationDays: true,
  notes: true,
});

export function PrescribeModal({ visitId, onClose }: { visitId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      drug: '',
      dose: '',
      frequency: '',
      route: 'oral' as (typeof ROUTES)[number],
      durationDays: '' as number | string,
      notes: '',
    },
  });
  const toInput = (values: typeof form.values) => ({
    drug: values.drug,
    dose: values.dose,
    frequency: values.frequency,
    route: values.route,
    durationDays: typeof values.durationDays === 'number' ? values.durationDays : null,
    notes: values.notes.trim() || null,
  });
  const prescribe = useMutation(
    trpc.prescriptions.create.mutationOptions({
      onSuccess: async (_, input) => {
        notifySaved(`${input.drug} prescribed.`);
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Prescribe" size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const input = toInput(form.getValues());
          const errors = zodValidate(PrescriptionFormSchema)(input);
          form.setErrors(errors);
          if (Object.keys(errors).length === 0) prescribe.mutate({ ...input, visitId });
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label="Drug" withAsterisk data-autofocus {...form.getInputProps('drug')} />
            <TextInput
              label="Dose"
              withAsterisk
              placeholder="500 mg"
              {...form.getInputProps('dose')}
            />
            <TextInput
              label="Frequency"
              withAsterisk
              placeholder="every 8 hours"
              {...form.getInputProps('frequency')}
            />
            <Select
              label="Route"
              data={[...ROUTES]}
              allowDeselect={false}
              {...form.getInputProps('route')}
            />
            <NumberInput
              label="Duration (days)"
              min={1}
              max={365}
              {...form.getInputProps('durationDays')}
            />
          </SimpleGrid>
          <Textarea
            label="Notes"
            description={describeTextLimit(PRESCRIPTION_NOTES_MAX)}
            maxLength={PRESCRIPTION_NOTES_MAX}
            {...form.getInputProps('notes')}
          />
          <FormActions onCancel={onClose} loading={prescribe.isPending} submitLabel="Prescribe" />
        </Stack>
      </form>
    </Modal>
  );
}
