/** Admission: ward, a free bed, the attending doctor and why. */
import { Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { BedPicker, type BedChoice } from '../../components/bed-picker';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import type { PickedPatient } from '../../stores/reception-store';
import { useTRPC } from '../../trpc/client';
import { FormActions } from '../../components/form-actions';

export function AdmitModal({ patient, onClose }: { patient: PickedPatient; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canListDoctors = useCan('appointments:read');
  const doctors = useQuery({
    ...trpc.appointments.doctors.queryOptions(),
    enabled: canListDoctors,
  });
  const [choice, setChoice] = useState<BedChoice>({ wardId: null, bedId: null });
  const [doctorId, setDoctorId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const admit = useMutation(
    trpc.visits.admit.mutationOptions({
      onSuccess: async () => {
        notifySaved(`${patient.name} admitted.`);
        await queryClient.invalidateQueries();
        onClose();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Admit ${patient.name}`} size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!choice.wardId || !choice.bedId) {
            setError('Choose a ward and a free bed');
            return;
          }
          admit.mutate({
            patientId: patient.id,
            wardId: choice.wardId,
            bedId: choice.bedId,
            attendingDoctorId: doctorId,
            admissionReason: reason.trim() || null,
          });
        }}
      >
        <Stack>
          <BedPicker value={choice} onChange={setChoice} error={error} />
          {canListDoctors ? (
            <Select
              label="Attending doctor"
              clearable
              data={(doctors.data ?? []).map((d) => ({ value: d.id, label: d.fullName }))}
              value={doctorId}
              onChange={setDoctorId}
            />
          ) : null}
          <TextInput
            label="Reason for admission"
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <FormActions onCancel={onClose} loading={admit.isPending} submitLabel="Admit" />
        </Stack>
      </form>
    </Modal>
  );
}
