/**
 * "Who saw this patient" (issue 15), for privacy officers and managers (`audit:read`): pick a
 * patient, optionally a date window, and read every access — who, as what, when, where, what,
 * with what outcome — from the server's trail of every workstation; offline, this workstation's
 * own, marked partial. Export to CSV for the complaint file (the export is itself audited).
 */
import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDateTime, patientName } from '../../components/format';
import { useReauth } from '../../session/reauth-dialog';
import { RestrictionPanel } from './restriction-panel';
import { describeFailure, useTRPC, useTRPCClient } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

type Entry = RouterOutputs['audit']['accessReport']['entries'][number];
interface Picked {
  id: string;
  label: string;
}

/** A YYYY-MM-DD day as the start of that day in UTC; the window's end day is included. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const at = new Date(`${day}T00:00:00.000Z`);
  if (end) at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString();
}

export function AccessReportScreen() {
  const [patient, setPatient] = useState<Picked | null>(null);
  return (
    <Stack gap="md">
      <Title order={2}>Access report</Title>
      <AuditAlertNotice />
      {patient ? (
        <PatientAccesses
          patient={patient}
          onChangePatient={() => {
            setPatient(null);
          }}
        />
      ) : (
        <PickPatient onPick={setPatient} />
      )}
    </Stack>
  );
}

function PickPatient({ onPick }: { onPick: (patient: Picked) => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 200);
  const results = useQuery({
    ...trpc.patients.search.queryOptions({ query }),
    enabled: query.length > 0,
  });
  return (
    <section aria-labelledby="access-patient-title">
      <Text component="h3" fw={600} id="access-patient-title" mb={4}>
        Whose record?
      </Text>
      <TextInput
        label="MRN, name or date of birth"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
        }}
        w={420}
      />
      {results.error ? (
        <Alert color="red" mt="sm" role="alert">
          {describeFailure(results.error)}
        </Alert>
      ) : null}
      {results.data ? (
        <DataTable
          mt="sm"
          caption="Patients to report on"
          data-testid="access-patient-results"
          columns={[
            { key: 'mrn', header: 'MRN', cell: (row) => row.mrn },
            { key: 'name', header: 'Name', cell: (row) => patientName(row) },
            { key: 'born', header: 'Date of birth', cell: (row) => row.dateOfBirth },
          ]}
          rows={results.data}
          rowKey={(row) => row.id}
          empty={`No patient matches “${query}”.`}
          onRowOpen={(row) => {
            onPick({ id: row.id, label: `${patientName(row)} (${row.mrn})` });
          }}
        />
      ) : null}
    </section>
  );
}

function PatientAccesses({
  patient,
  onChangePatient,
}: {
  patient: Picked;
  onChangePatient: () => void;
}) {
  const client = useTRPCClient();
  const reauth = useReauth();
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const range = { from: dayBound(fromDay, false), to: dayBound(toDay, true) };
  const input = {
    patientId: patient.id,
    ...(range.from ? { from: range.from } : {}),
    ...(range.to ? { to: range.to } : {}),
  };
  // A mutation on the main process because reading the report is itself audited.
  const report = useQuery({
    queryKey: ['accessReport', input],
    queryFn: () => client.audit.accessReport.mutate(input),
    staleTime: 30_000,
  });
  const exportCsv = useMutation({
    mutationFn: async () => {
      const reauthProof = await reauth('audit.export');
      return reauthProof ? client.audit.exportAccessReport.mutate({ ...input, reauthProof }) : null;
    },
    onSuccess: (exported) => {
      if (!exported) return;
      const { csv } = exported;
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `access-report-${patient.id}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    },
  });

  return (
    <section aria-labelledby="access-report-title">
      <Group justify="space-between" align="flex-end">
        <Text component="h3" fw={600} id="access-report-title" data-testid="access-patient">
          Accesses to the record of {patient.label}
        </Text>
        <Button variant="subtle" size="xs" onClick={onChangePatient}>
          Another patient
        </Button>
      </Group>
      <RestrictionPanel patientId={patient.id} />
      <Group mt="sm" align="flex-end">
        <TextInput
          label="From (day, UTC)"
          placeholder="YYYY-MM-DD"
          value={fromDay}
          onChange={(event) => {
            setFromDay(event.currentTarget.value);
          }}
          w={160}
        />
        <TextInput
          label="To (day, UTC, included)"
          placeholder="YYYY-MM-DD"
          value={toDay}
          onChange={(event) => {
            setToDay(event.currentTarget.value);
          }}
          w={180}
        />
        <Button
          variant="default"
          onClick={() => {
            exportCsv.mutate();
          }}
          loading={exportCsv.isPending}
          disabled={!report.data}
        >
          Export CSV
        </Button>
      </Group>
      {exportCsv.error ? (
        <Alert color="red" mt="sm" role="alert">
          {describeFailure(exportCsv.error)}
        </Alert>
      ) : null}
      {report.error ? (
        <Alert color="red" mt="sm" role="alert">
          {describeFailure(report.error)}
        </Alert>
      ) : null}
      {report.data?.partialBecause ? (
        <Alert color="orange" mt="sm" role="status" title="Partial" data-testid="access-partial">
          {report.data.partialBecause}
        </Alert>
      ) : null}
      {report.data?.truncated ? (
        <Alert color="yellow" mt="sm" role="status">
          More accesses match than are shown: narrow the dates.
        </Alert>
      ) : null}
      {report.data ? (
        <DataTable<Entry>
          mt="sm"
          striped
          caption={`Accesses to the record of ${patient.label}`}
          data-testid="access-entries"
          columns={[
            { key: 'at', header: 'When', cell: (row) => formatDateTime(row.at) },
            { key: 'who', header: 'Who', cell: (row) => row.userName ?? row.userId ?? '–' },
            { key: 'role', header: 'Role', cell: (row) => row.role ?? '–' },
            { key: 'what', header: 'What', cell: (row) => row.action },
            { key: 'outcome', header: 'Outcome', cell: (row) => row.outcome ?? '–' },
            { key: 'purpose', header: 'Purpose', cell: (row) => row.purpose ?? '–' },
            { key: 'where', header: 'Workstation', cell: (row) => row.workstation ?? '–' },
            {
              key: 'integrity',
              header: 'Integrity',
              // Only the server verifies chains and signatures; this workstation's own copy is not.
              cell: (row) =>
                row.integrity
                  ? `not verified (${row.integrity})`
                  : report.data.scope === 'server'
                    ? 'verified'
                    : 'not yet checked by the server',
            },
          ]}
          rows={report.data.entries}
          rowKey={(row) => `${row.source}:${row.at}:${row.action}:${row.userId ?? ''}`}
          empty="Nobody accessed this record in this window."
        />
      ) : null}
    </section>
  );
}

/** The server's word against this workstation's audit trail, for whoever reads audits. */
export function AuditAlertNotice() {
  const trpc = useTRPC();
  const status = useQuery(trpc.audit.status.queryOptions(undefined, { refetchInterval: 60_000 }));
  const alert = status.data?.alert;
  if (!alert) return null;
  return (
    <Alert
      color="red"
      variant="filled"
      mb="sm"
      role="alert"
      title="Security alert: this workstation's audit trail"
      data-testid="audit-alert"
    >
      {alert.reason === 'chain_broken'
        ? 'The server found events missing or altered in the audit trail this workstation sent'
        : `The server could not verify the signatures of ${String(alert.unverifiedSigned)} audit events this workstation sent`}{' '}
      (last on {formatDateTime(alert.at)}). Someone may have tampered with this workstation's
      records: tell the security officer, and do not reinstall or reset it before they have seen it.
    </Alert>
  );
}
