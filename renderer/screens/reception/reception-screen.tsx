/** The reception desk: find or register a patient, book, admit, and the day's appointments. Works offline. */
import { Button, Group, Stack, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { useReceptionStore, type PickedPatient } from '../../stores/reception-store';
import { AdmitModal } from './admit-modal';
import { AppointmentsPanel } from './appointments-panel';
import { BookAppointmentModal } from './book-appointment-modal';
import { PatientSearch, type PatientAction } from './patient-search';
import { RegisterPatientModal } from './register-patient-modal';

type Dialog = { kind: 'register' } | { kind: 'book' | 'admit'; patient: PickedPatient } | null;

export function ReceptionScreen() {
  const canRegister = useCan('patients:create');
  const canSeeAppointments = useCan('appointments:read');
  const canBook = useCan('appointments:manage');
  const openChart = useNavStore((state) => state.openChart);
  const pick = useReceptionStore((state) => state.pick);
  const [dialog, setDialog] = useState<Dialog>(null);
  useHotkeys(
    [
      [
        'alt+R',
        () => {
          if (canRegister) setDialog({ kind: 'register' });
        },
      ],
    ],
    [],
  );

  const onAction = (action: PatientAction, patient: PickedPatient) => {
    pick(patient);
    if (action === 'chart') openChart(patient.id);
    else setDialog({ kind: action, patient });
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Reception</Title>
        {canRegister ? (
          <Button
            onClick={() => {
              setDialog({ kind: 'register' });
            }}
            title="Alt+R"
          >
            Register a patient (Alt+R)
          </Button>
        ) : null}
      </Group>
      <PatientSearch onAction={onAction} />
      {canSeeAppointments ? <AppointmentsPanel /> : null}
      {dialog?.kind === 'register' ? (
        <RegisterPatientModal
          onClose={() => {
            setDialog(null);
          }}
          onRegistered={(patient) => {
            pick(patient);
            if (canBook) setDialog({ kind: 'book', patient });
          }}
        />
      ) : null}
      {dialog?.kind === 'book' ? (
        <BookAppointmentModal
          patient={dialog.patient}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'admit' ? (
        <AdmitModal
          patient={dialog.patient}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </Stack>
  );
}
