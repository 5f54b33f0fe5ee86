/** Appointments of one day, for one doctor or all; check in and cancel at the desk. */
import { Badge, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useReceptionStore } from '../../stores/reception-store';
import { describeFailure, useTRPC } from '../../trpc/client';

const STATUS_COLOURS: Record<string, string> = {
  scheduled: 'blue',
  checked_in: 'green',
  completed: 'gray',
  cancelled: 'dark',
  no_show: 'orange',
};

export function AppointmentsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useCan('appointments:manage');
  const { day, doctorId, setDay, setDoctor } = useReceptionStore();
  const [cancelling, setCancelling] = useState<{ id: string; reason: string } | null>(null);
  const doctors = useQuery(trpc.appointments.doctors.queryOptions());
  const from = dayjs(day).startOf('day');
  // Bookings made at other desks arrive with each pull.
  const list = useQuery({
    ...trpc.appointments.list.queryOptions({
      from: from.toISOString(),
      to: from.add(1, 'day').toISOString(),
      ...(doctorId ? { doctorId } : {}),
    }),
    refetchInterval: 10_000,
  });
  const doctorName = new Map((doctors.data ?? []).map((d) => [d.id, d.fullName]));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.appointments.list.queryKey() });
  const checkIn = useMutation(
    trpc.appointments.checkIn.mutationOptions({
      onSuccess: async () => {
        notifySaved('Checked in.');
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  const cancel = useMutation(
    trpc.appointments.cancel.mutationOptions({
      onSuccess: async () => {
        notifySaved('Appointment cancelled.');
        setCancelling(null);
        await refresh();
      },
      onError: notifyFailure,
    }),
  );

  return (
    <section aria-labelledby="appointments-title">
      <Text component="h3" fw={600} id="appointments-title" mb={4}>
        Appointments
      </Text>
      <Group gap="sm" align="flex-end">
        <DatePickerInput
          label="Day"
          valueFormat="ddd D MMM YYYY"
          w={200}
          value={day}
          onChange={(value) => {
            if (value) setDay(value);
          }}
        />
        <Button
          variant="default"
          onClick={() => {
            setDay(dayjs().format('YYYY-MM-DD'));
          }}
        >
          Today
        </Button>
        <Select
          label="Doctor"
          placeholder="All doctors"
          clearable
          w={240}
          data={(doctors.data ?? []).map((d) => ({ value: d.id, label: d.fullName }))}
          value={doctorId}
          onChange={setDoctor}
        />
      </Group>
      {list.error ? <Text c="red.8">{describeFailure(list.error)}</Text> : null}
      <DataTable
        mt="sm"
        striped
        data-testid="appointments-table"
        caption="Appointments of the day"
        columns={[
          {
            key: 'time',
            header: 'Time',
            cell: (appointment) =>
              `${dayjs(appointment.scheduledAt).format('HH:mm')} (${String(appointment.durationMinutes)} min)`,
          },
          {
            key: 'patient',
            header: 'Patient',
            cell: (appointment) => (
              <>
                {appointment.patientName.toUpperCase()}, {appointment.patientFirstName}{' '}
                <Text span size="xs" c="dimmed">
                  {appointment.mrn}
                </Text>
              </>
            ),
          },
          {
            key: 'doctor',
            header: 'Doctor',
            cell: (appointment) => doctorName.get(appointment.doctorId) ?? '–',
          },
          { key: 'reason', header: 'Reason', cell: (appointment) => appointment.reason ?? '' },
          {
            key: 'status',
            header: 'Status',
            cell: (appointment) => (
              <Group gap={4} wrap="nowrap">
                <Badge size="sm" color={STATUS_COLOURS[appointment.status] ?? 'gray'}>
                  {appointment.status.replace('_', ' ')}
                </Badge>
                {appointment.slotTakenTwice ? (
                  // Two desks booked this doctor's slot offline; the server kept both.
                  <Badge
                    size="sm"
                    color="red.9"
                    variant="filled"
                    data-testid="slot-taken"
                    title="Another appointment of this doctor overlaps: move one of them"
                  >
                    ⚠ slot taken twice
                  </Badge>
                ) : null}
              </Group>
            ),
          },
          canManage && {
            key: 'actions',
            header: 'Actions',
            cell: (appointment) => (
              <>
                {appointment.status === 'scheduled' && cancelling?.id !== appointment.id ? (
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-sm"
                      onClick={() => {
                        checkIn.mutate({ appointmentId: appointment.id });
                      }}
                    >
                      Check in
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        setCancelling({ id: appointment.id, reason: '' });
                      }}
                    >
                      Cancel…
                    </Button>
                  </Group>
                ) : null}
                {cancelling?.id === appointment.id ? (
                  <form
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (cancelling.reason.trim() !== '')
                        cancel.mutate({
                          appointmentId: appointment.id,
                          reason: cancelling.reason,
                        });
                    }}
                  >
                    <Group gap={4} wrap="nowrap">
                      <TextInput
                        size="xs"
                        aria-label="Reason for cancelling"
                        placeholder="Reason (required)"
                        autoFocus
                        value={cancelling.reason}
                        onChange={(event) => {
                          setCancelling({
                            id: appointment.id,
                            reason: event.currentTarget.value,
                          });
                        }}
                        onKeyDown={(event) => {
                          if (event.key === 'Escape') setCancelling(null);
                        }}
                      />
                      <Button
                        size="compact-sm"
                        color="red"
                        type="submit"
                        disabled={cancelling.reason.trim() === ''}
                      >
                        Cancel appointment
                      </Button>
                    </Group>
                  </form>
                ) : null}
              </>
            ),
          },
        ]}
        rows={list.data ?? []}
        rowKey={(appointment) => appointment.id}
        empty={list.data ? `No appointments on ${dayjs(day).format('D MMM YYYY')}.` : null}
      />
    </section>
  );
}
