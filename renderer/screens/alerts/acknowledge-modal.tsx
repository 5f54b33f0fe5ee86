/** Acknowledging an alert: a short note of what the person found or did, then it clears everywhere. */
import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormActions } from '../../components/form-actions';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useTRPC } from '../../trpc/client';
import type { AlertView } from './use-alerts';

export function AcknowledgeModal({ alert, onClose }: { alert: AlertView; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const acknowledge = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: async () => {
        notifySaved(`${alert.title} acknowledged.`);
        onClose();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.alerts.inbox.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.alerts.ofPatient.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.wardBoard.get.queryKey() }),
        ]);
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Acknowledge: ${alert.title}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim().length < 3) {
            setError('Write a short note: what you found or did');
            return;
          }
          acknowledge.mutate({ id: alert.id, note });
        }}
      >
        <Stack>
          <Text size="sm">
            {alert.patient ? `${alert.patient.name}: ` : ''}
            {alert.summary}
          </Text>
          <Textarea
            label="What you found or did"
            description="Kept with the alert and shown to everyone on the ward."
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
            value={note}
            error={error}
            styles={{ error: { color: 'var(--mantine-color-red-9)' } }}
            onChange={(event) => {
              setNote(event.currentTarget.value);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && event.ctrlKey) event.currentTarget.form?.requestSubmit();
            }}
          />
          <FormActions
            onCancel={onClose}
            loading={acknowledge.isPending}
            submitLabel="Acknowledge"
          />
        </Stack>
      </form>
    </Modal>
  );
}
