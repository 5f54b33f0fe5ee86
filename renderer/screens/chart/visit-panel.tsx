/** The stay itself: transfer to another bed or ward, and discharge with its summary. */
import { Button, Group, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { BedPicker, type BedChoice } from '../../components/bed-picker';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';
import { FormActions } from '../../components/form-actions';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const DISCHARGE_SUMMARY_MAX = textLimit('visits', 'dischargeSummary');

export function VisitPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const admitted = visit.status === 'admitted';
  const canTransfer = useCan('visits:transfer') && admitted;
  const canDischarge = useCan('visits:discharge') && admitted;
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
          <Text fw={600}>Discharge summary</Text>
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

function DischargeModal({ visit, onClose }: { visit: ChartVisit; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | undefined>();
  const discharge = useMutation(
    trpc.visits.discharge.mutationOptions({
      onSuccess: async () => {
        notifySaved('Discharged. The bed is free again.');
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Discharge" size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (summary.trim() === '') {
            setError('Required: the discharge summary goes to the patient’s record');
            return;
          }
          discharge.mutate({ visitId: visit.id, dischargeSummary: summary });
        }}
      >
        <Stack>
          <Textarea
            label="Discharge summary"
            description={describeTextLimit(DISCHARGE_SUMMARY_MAX)}
            maxLength={DISCHARGE_SUMMARY_MAX}
            withAsterisk
            autosize
            minRows={6}
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
            <Button type="submit" color="grape" loading={discharge.isPending}>
              Discharge
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
