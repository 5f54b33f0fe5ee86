/** A patient's chart: summary with allergies first, then one tab per kind of entry. */
import { Alert, Button, Group, Loader, Stack, Tabs } from '@mantine/core';
import { PrintWristbandButton } from './print-wristband-button';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, failureCode } from '../../trpc/client';
import { SendStatesProvider, useLiveSendStates } from '../../components/send-state';
import { ChartAlerts } from '../alerts/chart-alerts';
import { BreakGlassForm } from './break-glass-form';
import { ChartSummary } from './chart-summary';
import { AttachmentsPanel } from './attachments-panel';
import { EmrRecordPanel } from './emr-record-panel';
import { LabsPanel } from './labs-panel';
import { MedicationsPanel } from './medications-panel';
import { NurseLogsPanel } from './nurse-logs-panel';
import { RecordsElsewherePanel } from './records-elsewhere-panel';
import { useChart } from './use-chart';
import { VisitPanel } from './visit-panel';
import { VitalsPanel } from './vitals-panel';

export default function PatientChartScreen() {
  const patientId = useNavStore((state) => state.patientId);
  const visitId = useNavStore((state) => state.visitId);
  if (!patientId) return <Alert>Open a chart from the ward board or a patient search.</Alert>;
  return <ChartView patientId={patientId} visitId={visitId} />;
}

function ChartView({ patientId, visitId }: { patientId: string; visitId: string | null }) {
  const chart = useChart(patientId, visitId);
  const open = useNavStore((state) => state.open);
  const canSeeVitals = useCan('vitals:read');
  const canSeeLogs = useCan('nurse_logs:read');
  const canSeeMeds = useCan('prescriptions:read');
  const canSeeLabs = useCan('lab_tests:read');
  const canSeeAttachments = useCan('attachments:read');
  const canSeeElsewhere = useCan('emr_global:read');
  const liveSendStates = useLiveSendStates(
    chart.data
      ? [
          ...chart.data.vitals,
          ...chart.data.nurseLogs,
          ...chart.data.labTests,
          ...chart.data.prescriptions,
          ...chart.data.administrations,
          ...chart.data.emrRecords,
        ]
      : [],
  );

  if (chart.isPending) return <Loader aria-label="Opening the chart" />;
  if (failureCode(chart.error) === 'break_glass_required') {
    return (
      <BreakGlassForm
        patientId={patientId}
        why={describeFailure(chart.error)}
        onOpened={() => {
          void chart.refetch();
        }}
        onCancel={() => {
          open('ward');
        }}
      />
    );
  }
  if (chart.error) {
    return (
      <Alert color="red" role="alert" title="The chart could not be opened">
        {describeFailure(chart.error)}
      </Alert>
    );
  }
  const data = chart.data;
  return (
    <Stack
      gap="sm"
      component="section"
      aria-label={`Chart of ${data.patient.firstName} ${data.patient.lastName}`}
    >
      <Group justify="space-between">
        <Button
          variant="subtle"
          size="xs"
          onClick={() => {
            open('ward');
          }}
        >
          ← Back to the ward board
        </Button>
        <PrintWristbandButton patientId={data.patient.id} />
      </Group>
      {data.breakGlass ? (
        <Alert color="orange" data-testid="break-glass-active" title="Break-glass access">
          Open until {formatDateTime(data.breakGlass.expiresAt)} ({data.breakGlass.purpose}). Every
          read is recorded and reviewed by a manager.
        </Alert>
      ) : null}
      <ChartSummary chart={data} />
      <ChartAlerts
        patientId={data.patient.id}
        opened={{ alerts: data.alerts, at: chart.dataUpdatedAt }}
      />
      {data.recordNotHeld !== null ? (
        <Alert color="yellow" role="status" title="Not all of this stay is on this workstation">
          {data.recordNotHeld}
        </Alert>
      ) : null}
      {data.visit ? (
        <SendStatesProvider value={liveSendStates}>
          <Tabs defaultValue={canSeeVitals ? 'vitals' : 'visit'} keepMounted={false}>
            <Tabs.List>
              {canSeeVitals ? <Tabs.Tab value="vitals">Vitals</Tabs.Tab> : null}
              {canSeeLogs ? <Tabs.Tab value="logs">Nurse logs and handoff</Tabs.Tab> : null}
              {canSeeMeds ? <Tabs.Tab value="meds">Medications</Tabs.Tab> : null}
              {canSeeLabs ? <Tabs.Tab value="labs">Labs</Tabs.Tab> : null}
              <Tabs.Tab value="emr">EMR record</Tabs.Tab>
              <Tabs.Tab value="visit">Stay</Tabs.Tab>
              {canSeeAttachments ? <Tabs.Tab value="attachments">Attachments</Tabs.Tab> : null}
              {canSeeElsewhere ? (
                <Tabs.Tab value="elsewhere">Records from other facilities</Tabs.Tab>
              ) : null}
            </Tabs.List>
            {canSeeVitals ? (
              <Tabs.Panel value="vitals" pt="sm">
                <VitalsPanel chart={data} visit={data.visit} />
              </Tabs.Panel>
            ) : null}
            {canSeeLogs ? (
              <Tabs.Panel value="logs" pt="sm">
                <NurseLogsPanel chart={data} visit={data.visit} />
              </Tabs.Panel>
            ) : null}
            {canSeeMeds ? (
              <Tabs.Panel value="meds" pt="sm">
                <MedicationsPanel chart={data} visit={data.visit} />
              </Tabs.Panel>
            ) : null}
            {canSeeLabs ? (
              <Tabs.Panel value="labs" pt="sm">
                <LabsPanel chart={data} visit={data.visit} />
              </Tabs.Panel>
            ) : null}
            {/* chart.open itself needs emr:read, so whoever sees the chart may read its record. */}
            <Tabs.Panel value="emr" pt="sm">
              <EmrRecordPanel chart={data} visit={data.visit} />
            </Tabs.Panel>
            <Tabs.Panel value="visit" pt="sm">
              <VisitPanel chart={data} visit={data.visit} />
            </Tabs.Panel>
            {canSeeAttachments ? (
              <Tabs.Panel value="attachments" pt="sm">
                <AttachmentsPanel chart={data} visit={data.visit} />
              </Tabs.Panel>
            ) : null}
            {canSeeElsewhere ? (
              <Tabs.Panel value="elsewhere" pt="sm">
                <RecordsElsewherePanel patientId={data.patient.id} />
              </Tabs.Panel>
            ) : null}
          </Tabs>
        </SendStatesProvider>
      ) : (
        <Stack gap="sm">
          <Alert>This patient has no stay on record at this hospital.</Alert>
          {canSeeElsewhere ? <RecordsElsewhereOnRequest patientId={data.patient.id} /> : null}
        </Stack>
      )}
    </Stack>
  );
}

/** Every read of another facility's record is audited: it happens when a person asks for it. */
function RecordsElsewhereOnRequest({ patientId }: { patientId: string }) {
  const [asked, setAsked] = useState(false);
  if (asked) return <RecordsElsewherePanel patientId={patientId} />;
  return (
    <Group>
      <Button
        variant="light"
        onClick={() => {
          setAsked(true);
        }}
      >
        Records from other facilities
      </Button>
    </Group>
  );
}
