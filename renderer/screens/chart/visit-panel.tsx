/** The stay itself: transfer to another bed or ward, and discharge with its summary. */
import { Button, Group, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { BedPicker, type BedChoice } from '../../components/bed-picker';
import { notifyFailure, notifySaved } from '../../components/notify';
import { PrintButton } from '../../components/print-button';
import { useCan } from '../../session/use-session';
import { useTRPC, useTRPCClient } from '../../trpc/client';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';
import { FormActions } from '../../components/form-actions';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const DISCHARGE_SUMMARY_MAX = textLimit('visits', 'dischargeSummary');

export function VisitPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const admitted = visit.status === 'admitted';
  const canTransfer = useCan('visits:transfer') && admitted;
  const canDischarge = useCan('visits:discharge') && admitted;
  const canPrintSummary = useCan('ai_drafts:read');
  const client = useTRPCClient();
  const [dialog, setDialog] = useState<'transfer' | 'discharge' | null>(null);
  return (
    <Stack gap="sm">
      <Group>
        {canTransfer ? (
          <Button
            onClick={() => {
              setDialog('transfer');
            }}
          >
            Transfer…
          </Button>
        ) : null}
        {canDischarge ? (
          <Button
            color="grape"
            onClick={() => {
              setDialog('discharge');
            }}
          >
            Discharge…
          </Button>
        ) : null}
      </Group>
      {visit.dischargeSummary ? (
        <Paper withBorder p="sm">
          <Group justify="space-between">
            <Text fw={600}>Discharge summary</Text>
            {canPrintSummary ? (
              <PrintButton
                label="Print discharge summary"
                request={async (reauthProof) => ({
                  title: `Discharge summary ${chart.patient.mrn}`,
                  html: (
                    await client.dischargeSummary.printable.mutate({
                      visitId: visit.id,
                      reauthProof,
                    })
                  ).html,
                })}
              />
            ) : null}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {visit.dischargeSummary}
          </Text>
        </Paper>
      ) : null}
      <Text size="sm" c="dimmed">
        {chart.visits.length} stay{chart.visits.length === 1 ? '' : 's'} on record at this hospital.
      </Text>
      {dialog === 'transfer' ? (
        <TransferModal
          visit={visit}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog === 'discharge' ? (
        <DischargeModal
          visit={visit}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

function TransferModal({ visit, onClose }: { visit: ChartVisit; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const [choice, setChoice] = useState<BedChoice>({ wardId: visit.wardId, bedId: null });
  const [error, setError] = useState<string | undefined>();
  const transfer = useMutation(
    trpc.visits.transfer.mutationOptions({
      onSuccess: async () => {
        notifySaved('Transferred.');
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Transfer to another bed">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!choice.wardId || !choice.bedId) {
            setError('Choose a ward and a free bed');
            return;
          }
          transfer.mutate({ visitId: visit.id, wardId: choice.wardId, bedId: choice.bedId });
        }}
      >
        <Stack>
          <BedPicker value={choice} onChange={setChoice} error={error} />
          <FormActions onCancel={onClose} loading={transfer.isPending} submitLabel="Transfer" />
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The discharge: the stay's summary, drafted from its records (or the open draft), edited and
 * approved in the one step that discharges. Saving keeps it as a reviewed draft; rejecting throws
 * it away. Nothing but the approved text enters the patient's record.
 */
function DischargeModal({ visit, onClose }: { visit: ChartVisit; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const draft = useMutation(
    trpc.dischargeSummary.draft.mutationOptions({
      onSuccess: (row) => {
        setSummary(row.body);
      },
      onError: notifyFailure,
    }),
  );
  const { mutate: startDraft } = draft;
  useEffect(() => {
    startDraft({ visitId: visit.id });
  }, [startDraft, visit.id]);
  const revise = useMutation(
    trpc.dischargeSummary.revise.mutationOptions({
      onSuccess: () => {
        notifySaved('Draft saved as reviewed. It is not in the record until approved.');
      },
      onError: notifyFailure,
    }),
  );
  const reject = useMutation(
    trpc.dischargeSummary.reject.mutationOptions({
      onSuccess: () => {
        notifySaved('Draft rejected. The next discharge starts a fresh draft.');
        onClose();
      },
      onError: notifyFailure,
    }),
  );
  const discharge = useMutation(
    trpc.visits.discharge.mutationOptions({
      onSuccess: async () => {
        notifySaved('Summary approved and patient discharged. The bed is free again.');
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  const row = draft.data;
  return (
    <Modal opened onClose={onClose} title="Discharge" size="xl">
      {!row || summary === null ? (
        <Text size="sm">Drafting the discharge summary from the stay’s records…</Text>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (summary.trim() === '') {
              setError('Required: the approved summary goes to the patient’s record');
              return;
            }
            discharge.mutate({ visitId: visit.id, summaryDraftId: row.id, summary });
          }}
        >
          <Stack>
            <Text size="sm" c="dimmed">
              {row.status === 'reviewed'
                ? 'Reviewed draft, not yet approved.'
                : `First draft written by ${row.generator} from this stay’s records (no language model). Check every section.`}
            </Text>
            <Textarea
              label="Discharge summary"
              description={describeTextLimit(DISCHARGE_SUMMARY_MAX)}
              maxLength={DISCHARGE_SUMMARY_MAX}
              withAsterisk
              autosize
              minRows={12}
              maxRows={24}
              data-autofocus
              value={summary}
              error={error}
              onChange={(event) => {
                setSummary(event.currentTarget.value);
              }}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                variant="default"
                color="red"
                loading={reject.isPending}
                onClick={() => {
                  reject.mutate({ draftId: row.id });
                }}
              >
                Reject draft
              </Button>
              <Button
                variant="default"
                loading={revise.isPending}
                onClick={() => {
                  revise.mutate({ draftId: row.id, body: summary });
                }}
              >
                Save draft
              </Button>
              <Button type="submit" color="grape" loading={discharge.isPending}>
                Approve and discharge
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
