/** Stop a prescription with the reason the ward and the next pharmacist will read. */
import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { patientName } from '../../components/format';
import { FormActions } from '../../components/form-actions';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart } from '../chart/use-chart';
import type { ActivePrescription } from './types';

export function DiscontinueModal({
  prescription,
  onClose,
}: {
  prescription: ActivePrescription;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshChart = useRefreshChart();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const discontinue = useMutation(
    trpc.prescriptions.discontinue.mutationOptions({
      onSuccess: async () => {
        notifySaved(`${prescription.drug} discontinued for ${patientName(prescription.patient)}.`);
        onClose();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.prescriptions.listActive.queryKey() }),
          refreshChart(),
        ]);
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Discontinue ${prescription.drug}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim() === '') {
            setError('Required');
            return;
          }
          discontinue.mutate({ prescriptionId: prescription.id, reason });
        }}
      >
        <Stack>
          <Text size="sm">
            {prescription.drug} {prescription.dose}, {prescription.frequency}, {prescription.route}{' '}
            for {patientName(prescription.patient)} ({prescription.patient.mrn}). No more doses can
            be charted once it is stopped.
          </Text>
          <Textarea
            label="Reason for stopping"
            withAsterisk
            autosize
            minRows={2}
            data-autofocus
            value={reason}
            error={error}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <FormActions
            onCancel={onClose}
            loading={discontinue.isPending}
            submitLabel="Discontinue"
          />
        </Stack>
      </form>
    </Modal>
  );
}
