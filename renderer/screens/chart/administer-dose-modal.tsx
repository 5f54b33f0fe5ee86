import { Alert, Checkbox, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { MedicationAdministrationFieldsSchema } from '../../../shared/schemas/medications';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useState } from 'react';
import { failureCode, describeFailure } from '../../trpc/client';
import { zodValidate } from '../../forms/zod-form';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart, type Chart } from './use-chart';
import { FormActions } from '../../components/form-actions';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const DOSE_REASON_MAX = textLimit('medication_administrations', 'reason');

type ScheduledDose = Chart['scheduledDoses'][number];

export interface DoseAction {
  prescriptionId: string;
  drug: string;
  status: 'given' | 'held' | 'refused';
  /** The prescription's scheduled doses around now; empty for PRN or an unreadable frequency. */
  doses: ScheduledDose[];
}

const VERBS: Record<DoseAction['status'], string> = {
  given: 'Give',
  held: 'Hold',
  refused: 'Patient refused',
};

// The shared rules (a held or refused dose says why; the wristband is scanned, or why not is
// said), checked here on the fields the nurse fills in.
const DoseSchema = MedicationAdministrationFieldsSchema.pick({
  status: true,
  reason: true,
  scheduledFor: true,
})
  .extend({ wristband: z.string(), cannotScan: z.boolean(), skipReason: z.string() })
  .refine((entry) => entry.status === 'given' || (entry.reason ?? '') !== '', {
    message: 'Say why the dose was held or refused',
    path: ['reason'],
  })
  .refine((entry) => entry.cannotScan || entry.wristband.trim() !== '', {
    message: 'Scan the patient’s wristband, or tick that it cannot be scanned',
    path: ['wristband'],
  })
  .refine((entry) => !entry.cannotScan || entry.skipReason.trim() !== '', {
    message: 'Say why the wristband was not scanned',
    path: ['skipReason'],
  });

interface Slot {
  value: string;
  label: string;
  disabled?: boolean;
}

/** PRN or no readable schedule: any hour around now, the current one first. */
function freeSlots(now = dayjs()): Slot[] {
  const hour = now.startOf('hour');
  return [0, -1, -2, -3, -4, -5, -6, 1, 2].map((offset) => {
    const at = hour.add(offset, 'hour');
    return { value: at.toISOString(), label: at.format('D MMM HH:mm') };
  });
}

const STATE_WORDS: Record<ScheduledDose['state'], string> = {
  missed: 'missed',
  overdue: 'overdue',
  due: 'due now',
  upcoming: 'later',
  charted: 'charted',
};

const RANK: Record<ScheduledDose['state'], number> = {
  overdue: 0,
  due: 0,
  upcoming: 1,
  missed: 2,
  charted: 3,
};

/**
 * The scheduled doses to choose from: those owed now first (nearest to now first), then later
 * ones, then older missed ones (to record why), then those already charted, shown but not choosable.
 */
export function scheduledSlots(doses: readonly ScheduledDose[], now = Date.now()): Slot[] {
  const rank = (dose: ScheduledDose) => RANK[dose.state];
  const distance = (dose: ScheduledDose) => Math.abs(Date.parse(dose.scheduledFor) - now);
  return [...doses]
    .sort((a, b) => rank(a) - rank(b) || distance(a) - distance(b))
    .map((dose) => ({
      value: dose.scheduledFor,
      label: `${dayjs(dose.scheduledFor).format('D MMM HH:mm')} · ${dose.charted ? dose.charted.status : STATE_WORDS[dose.state]}`,
      disabled: dose.state === 'charted',
    }));
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
  const scheduled = action.doses.length > 0;
  const slots = scheduled ? scheduledSlots(action.doses) : freeSlots();
  const first = slots.find((slot) => slot.disabled !== true);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      status: action.status,
      reason: '',
      scheduledFor: first?.value ?? '',
      wristband: '',
      cannotScan: false,
      skipReason: '',
    },
    validate: (values) =>
      zodValidate(DoseSchema)({ ...values, reason: values.reason.trim() || null }),
  });
  const [wrongPatient, setWrongPatient] = useState<string | null>(null);
  const record = useMutation(
    trpc.mar.record.mutationOptions({
      onSuccess: async () => {
        notifySaved(`${action.drug}: ${action.status}.`);
        onClose();
        await refresh();
      },
      onError: (error) => {
        if (failureCode(error) !== 'wristband_mismatch') {
          notifyFailure(error);
          return;
        }
        // Loud, in the modal, and the scan cleared: the next scan must be the right band.
        setWrongPatient(describeFailure(error));
        form.setFieldValue('wristband', '');
      },
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
            wristband: values.cannotScan
              ? { check: 'skipped', reason: values.skipReason.trim() }
              : { check: 'scanned', scanned: values.wristband },
          });
        })}
      >
        <Stack gap="sm">
          {wrongPatient ? (
            <Alert
              color="red"
              variant="filled"
              role="alert"
              title="Wrong patient: dose not charted"
            >
              {wrongPatient}
            </Alert>
          ) : null}
          <TextInput
            label="Wristband"
            description="Scan the patient’s wristband: it must be this chart’s patient."
            disabled={form.values.cannotScan}
            data-autofocus
            autoComplete="off"
            {...form.getInputProps('wristband')}
          />
          <Checkbox
            label="The wristband cannot be scanned"
            {...form.getInputProps('cannotScan', { type: 'checkbox' })}
          />
          {form.values.cannotScan ? (
            <TextInput
              label="Why not scanned"
              withAsterisk
              maxLength={300}
              {...form.getInputProps('skipReason')}
            />
          ) : null}
          <Select
            label={scheduled ? 'Scheduled dose' : 'Dose due at'}
            description={scheduled ? undefined : 'As needed or no fixed schedule: choose the hour.'}
            data={slots}
            allowDeselect={false}
            {...form.getInputProps('scheduledFor')}
          />
          {scheduled && !first ? (
            <Text size="sm" c="red.8" role="status">
              Every scheduled dose of the last day is charted. Check the MAR before charting again.
            </Text>
          ) : null}
          <Textarea
            label={action.status === 'given' ? 'Note (optional)' : 'Why'}
            withAsterisk={action.status !== 'given'}
            description={describeTextLimit(DOSE_REASON_MAX)}
            maxLength={DOSE_REASON_MAX}
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
