/**
 * Compare and merge (issue 13): two records of one person side by side, what each holds, and a
 * choice of the record that survives. The merge is sent like any change: offline it waits in the
 * outbox, and the server moves the other record's stays, entries, appointments and documents
 * when it arrives. Reached from a possible-duplicate alert (CompareAndMergeButton) or from the
 * patient search ("Merge…"), with `patients:merge`.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDate, formatDateTime, patientName } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useMergeStore } from '../../stores/merge-store';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import { ChooseOtherRecord } from './choose-other-record';

type PatientRecord = RouterOutputs['patients']['compare']['records'][number];

/** What each kind of row a record holds is called on the ward. */
const HOLDINGS: Record<string, string> = {
  visits: 'Stays',
  vitals: 'Vital signs',
  nurse_logs: 'Nurse logs',
  lab_tests: 'Lab tests',
  prescriptions: 'Prescriptions',
  medication_administrations: 'Doses charted',
  appointments: 'Appointments',
  emr_local: 'EMR entries',
  ai_drafts: 'Drafts',
  clinical_alerts: 'Alerts',
};
const holdingLabel = (table: string) => HOLDINGS[table] ?? table.replace(/_/g, ' ');

interface Line {
  key: string;
  label: string;
  value: (record: PatientRecord) => ReactNode;
  /** The comparable text, to mark lines where the records differ. */
  text: (record: PatientRecord) => string;
}

const field = (
  key: string,
  label: string,
  read: (record: PatientRecord) => string | null,
): Line => ({
  key,
  label,
  value: (record) => read(record) ?? '–',
  text: (record) => (read(record) ?? '').toLowerCase(),
});

const LINES: readonly Line[] = [
  field('mrn', 'MRN', (r) =>
    [r.patient.mrn, ...r.alsoKnownAs.map((mrn) => `also ${mrn}`)].join(', '),
  ),
  field('name', 'Name', (r) => patientName(r.patient)),
  field('born', 'Date of birth', (r) => formatDate(r.patient.dateOfBirth)),
  field('sex', 'Sex', (r) => r.patient.sex),
  field('phone', 'Phone', (r) => r.patient.phone),
  field('email', 'Email', (r) => r.patient.email),
  field('address', 'Address', (r) => r.patient.address),
  field(
    'contact',
    'Emergency contact',
    (r) =>
      [r.patient.emergencyContactName, r.patient.emergencyContactPhone]
        .filter(Boolean)
        .join(', ') || null,
  ),
  field('allergies', 'Allergies', (r) =>
    r.patient.allergies.length === 0
      ? 'None recorded'
      : r.patient.allergies.map((a) => a.substance).join(', '),
  ),
  field('registered', 'Registered', (r) => formatDateTime(r.patient.registeredAt)),
  field('stays', 'Stays', (r) =>
    r.stays.length === 0
      ? 'None'
      : r.stays
          .map(
            (stay) =>
              `${stay.wardName}${stay.bedNumber ? ` bed ${stay.bedNumber}` : ''}, ${formatDate(stay.admittedAt)} (${stay.status})`,
          )
          .join('; '),
  ),
];

function holdingLines(records: readonly PatientRecord[]): Line[] {
  const tables = [...new Set(records.flatMap((record) => Object.keys(record.holds)))];
  return tables
    .filter((table) => table !== 'visits')
    .map((table) => ({
      key: `holds-${table}`,
      label: holdingLabel(table),
      value: (record: PatientRecord) => String(record.holds[table] ?? 0),
      // Counts are what each record holds, not a disagreement about the person.
      text: () => '',
    }));
}

export function PatientMergeScreen() {
  const canMerge = useCan('patients:merge');
  const first = useMergeStore((state) => state.first);
  const second = useMergeStore((state) => state.second);
  const choose = useMergeStore((state) => state.choose);
  if (!canMerge) return <Text>Merging patient records needs the permission patients:merge.</Text>;
  return (
    <Stack gap="md">
      <Title order={2}>Compare and merge patient records</Title>
      {first === null ? (
        <Text>Open this screen from a possible-duplicate alert or from the patient search.</Text>
      ) : second === null ? (
        <ChooseOtherRecord
          firstId={first}
          onChosen={(id) => {
            choose(first, id);
          }}
        />
      ) : (
        <Comparison ids={[first, second]} />
      )}
    </Stack>
  );
}

function Comparison({ ids }: { ids: readonly [string, string] }) {
  const trpc = useTRPC();
  const compare = useQuery(trpc.patients.compare.queryOptions({ patientIds: [ids[0], ids[1]] }));
  const [survivorId, setSurvivorId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [done, setDone] = useState<{ survivor: string; merged: string } | null>(null);

  if (compare.error) return <Alert color="red">{describeFailure(compare.error)}</Alert>;
  if (!compare.data) return <Text c="dimmed">Loading the two records…</Text>;
  const records = compare.data.records;
  const survivor = records.find((record) => record.patient.id === survivorId) ?? null;
  const merged = records.find((record) => record.patient.id !== survivorId) ?? null;
  const alreadyMerged = records.filter((record) => record.mergedInto !== null);
  const bothInBed = records.every((record) => record.stays.some((s) => s.status === 'admitted'));
  const lines = [...LINES, ...holdingLines(records)];

  if (done)
    return <MergeDone survivor={done.survivor} merged={done.merged} survivorId={survivorId} />;

  return (
    <Stack gap="md" data-testid="patient-merge">
      <Text>
        Check that both records are the same person, then choose the record that survives.
        Everything recorded under the other record moves to it when the server receives the merge;
        the other MRN keeps finding this person.
      </Text>
      {alreadyMerged.map((record) => (
        <Alert key={record.patient.id} color="orange" title="Already merged">
          MRN {record.patient.mrn} was merged into MRN {record.mergedInto?.mrn ?? '…'}. Compare that
          record instead.
        </Alert>
      ))}
      {bothInBed ? (
        <Alert color="orange" title="Both records have an open stay">
          After the merge this person has two open stays: discharge or cancel the one that is not
          real.
        </Alert>
      ) : null}
      <DataTable
        data-testid="merge-comparison"
        caption="The two patient records side by side; lines that differ are marked"
        showCaption
        withColumnBorders
        columns={[
          { key: 'label', header: 'Field', cell: (line) => line.label, td: { fw: 600 } },
          ...records.map((record, index) => ({
            key: record.patient.id,
            header: `Record ${String(index + 1)}: MRN ${record.patient.mrn}`,
            cell: (line: Line) => line.value(record),
          })),
          {
            key: 'differs',
            header: 'Differs',
            cell: (line) =>
              new Set(records.map((record) => line.text(record))).size > 1 ? (
                <Badge color="orange.9" variant="light">
                  differs
                </Badge>
              ) : (
                ''
              ),
          },
        ]}
        rows={lines}
        rowKey={(line) => line.key}
      />
      {alreadyMerged.length === 0 ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!survivor) {
              setChoiceError('Choose the record that survives');
              return;
            }
            setChoiceError(null);
            setConfirming(true);
          }}
        >
          <Stack gap="sm" maw={640}>
            <Radio.Group
              label="Which record survives?"
              description="Its details are kept; what it lacks (a phone, an address) is taken from the other, and allergies of both are kept."
              value={survivorId}
              onChange={setSurvivorId}
              error={choiceError}
              withAsterisk
            >
              <Stack gap={6} mt={6}>
                {records.map((record) => (
                  <Radio
                    key={record.patient.id}
                    value={record.patient.id}
                    label={`Keep MRN ${record.patient.mrn} (${patientName(record.patient)}, registered ${formatDateTime(record.patient.registeredAt)})`}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              label="Why they are the same person (optional)"
              value={reason}
              maxLength={500}
              onChange={(event) => {
                setReason(event.currentTarget.value);
              }}
            />
            <Group>
              <Button type="submit">Merge…</Button>
            </Group>
          </Stack>
        </form>
      ) : null}
      {confirming && survivor && merged ? (
        <ConfirmMerge
          survivor={survivor}
          merged={merged}
          reason={reason}
          onClose={() => {
            setConfirming(false);
          }}
          onMerged={() => {
            setConfirming(false);
            setDone({ survivor: survivor.patient.mrn, merged: merged.patient.mrn });
          }}
        />
      ) : null}
    </Stack>
  );
}

function ConfirmMerge(props: {
  survivor: PatientRecord;
  merged: PatientRecord;
  reason: string;
  onClose: () => void;
  onMerged: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { survivor, merged } = props;
  const merge = useMutation(
    trpc.patients.merge.mutationOptions({
      onSuccess: async () => {
        notifySaved(`MRN ${merged.patient.mrn} merged into MRN ${survivor.patient.mrn}.`);
        props.onMerged();
        await queryClient.invalidateQueries({ queryKey: trpc.patients.pathKey() });
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={props.onClose} title="Merge these records?">
      <Stack>
        <Text>
          MRN {merged.patient.mrn} will be merged into MRN {survivor.patient.mrn} (
          {patientName(survivor.patient)}). Its stays, entries, appointments and documents move to
          MRN {survivor.patient.mrn}. This cannot be undone on a workstation.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button
            color="red.9"
            loading={merge.isPending}
            data-autofocus
            onClick={() => {
              merge.mutate({
                survivorId: survivor.patient.id,
                mergedId: merged.patient.id,
                ...(props.reason.trim() === '' ? {} : { reason: props.reason.trim() }),
              });
            }}
          >
            Merge records
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MergeDone(props: { survivor: string; merged: string; survivorId: string | null }) {
  const canChart = useCan('emr:read');
  const openChart = useNavStore((state) => state.openChart);
  const open = useNavStore((state) => state.open);
  const survivorId = props.survivorId;
  return (
    <Stack gap="sm" data-testid="merge-done">
      <Alert color="green" title="Merged" role="status">
        MRN {props.merged} is merged into MRN {props.survivor}. Searching for either MRN finds this
        person. The server moves the records as soon as it receives the merge (the header shows what
        is still waiting).
      </Alert>
      <Group>
        {canChart && survivorId ? (
          <Button
            variant="light"
            onClick={() => {
              openChart(survivorId);
            }}
          >
            Open the chart of MRN {props.survivor}
          </Button>
        ) : null}
        <Button
          variant="default"
          onClick={() => {
            open('reception');
          }}
        >
          Back to reception
        </Button>
      </Group>
    </Stack>
  );
}
