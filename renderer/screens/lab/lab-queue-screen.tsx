/** The lab's work queue, oldest first: accept, start, complete with a result, or cancel. */
import { Badge, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { LAB_STATUS_COLOURS } from '../../components/lab-status';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

const LAB_RESULT_MAX = textLimit('lab_tests', 'result');
const LAB_CANCEL_MAX = textLimit('lab_tests', 'cancellationReason');

type QueueItem = RouterOutputs['labTests']['queue'][number];
type Finish = { kind: 'complete' | 'cancel'; item: QueueItem } | null;

export function LabQueueScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queue = useQuery({ ...trpc.labTests.queue.queryOptions(), refetchInterval: 15_000 });
  const canAccept = useCan('lab_tests:accept');
  const canStart = useCan('lab_tests:start');
  const canComplete = useCan('lab_tests:complete');
  const canCancel = useCan('lab_tests:cancel');
  const [finish, setFinish] = useState<Finish>(null);
  const done = (message: string) => ({
    onSuccess: async () => {
      notifySaved(message);
      setFinish(null);
      await queryClient.invalidateQueries({ queryKey: trpc.labTests.queue.queryKey() });
    },
    onError: notifyFailure,
  });
  const accept = useMutation(trpc.labTests.accept.mutationOptions(done('Accepted into the lab.')));
  const start = useMutation(trpc.labTests.start.mutationOptions(done('Work started.')));

  return (
    <Stack gap="sm">
      <Title order={2}>Lab queue</Title>
      {queue.error ? <Text c="red.8">{describeFailure(queue.error)}</Text> : null}
      <DataTable
        striped
        data-testid="lab-queue"
        caption="Lab tests waiting, oldest first"
        columns={[
          {
            key: 'ordered',
            header: 'Ordered',
            cell: (item) => formatDateTime(item.test.orderedAt),
          },
          {
            key: 'patient',
            header: 'Patient',
            cell: (item) => (
              <>
                {item.lastName.toUpperCase()}, {item.firstName}{' '}
                <Text span size="xs" c="dimmed">
                  {item.mrn}
                </Text>
              </>
            ),
          },
          {
            key: 'test',
            header: 'Test',
            cell: (item) => `${item.test.testName} (${item.test.testCode})`,
          },
          {
            key: 'urgency',
            header: 'Urgency',
            cell: (item) => (
              <Badge size="sm" color={item.test.urgency === 'routine' ? 'gray' : 'red'}>
                {item.test.urgency}
              </Badge>
            ),
          },
          {
            key: 'status',
            header: 'Status',
            cell: (item) => (
              <Badge size="sm" color={LAB_STATUS_COLOURS[item.test.status] ?? 'gray'}>
                {item.test.status.replace('_', ' ')}
              </Badge>
            ),
          },
          {
            key: 'actions',
            header: 'Actions',
            cell: (item) => (
              <Group gap={4} wrap="nowrap">
                {canAccept && item.test.status === 'pending' ? (
                  <Button
                    size="compact-sm"
                    onClick={() => {
                      accept.mutate({ labTestId: item.test.id });
                    }}
                  >
                    Accept
                  </Button>
                ) : null}
                {canStart && item.test.status === 'accepted' ? (
                  <Button
                    size="compact-sm"
                    onClick={() => {
                      start.mutate({ labTestId: item.test.id });
                    }}
                  >
                    Start
                  </Button>
                ) : null}
                {canComplete && item.test.status === 'in_progress' ? (
                  <Button
                    size="compact-sm"
                    color="green"
                    onClick={() => {
                      setFinish({ kind: 'complete', item });
                    }}
                  >
                    Complete…
                  </Button>
                ) : null}
                {canCancel ? (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => {
                      setFinish({ kind: 'cancel', item });
                    }}
                  >
                    Cancel…
                  </Button>
                ) : null}
              </Group>
            ),
          },
        ]}
        rows={queue.data ?? []}
        rowKey={(item) => item.test.id}
        empty={queue.data ? 'The queue is empty.' : null}
      />
      {finish ? (
        <FinishModal
          finish={finish}
          onClose={() => {
            setFinish(null);
          }}
          onDone={done}
        />
      ) : null}
    </Stack>
  );
}

function FinishModal({
  finish,
  onClose,
  onDone,
}: {
  finish: NonNullable<Finish>;
  onClose: () => void;
  onDone: (message: string) => {
    onSuccess: () => Promise<void>;
    onError: (error: unknown) => void;
  };
}) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const complete = useMutation(
    trpc.labTests.complete.mutationOptions(onDone('Result recorded; the ward can see it.')),
  );
  const cancel = useMutation(trpc.labTests.cancel.mutationOptions(onDone('Lab order cancelled.')));
  const isComplete = finish.kind === 'complete';
  return (
    <Modal
      opened
      onClose={onClose}
      title={`${isComplete ? 'Result' : 'Cancel'}: ${finish.item.test.testName}`}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim() === '') {
            setError('Required');
            return;
          }
          if (isComplete) complete.mutate({ labTestId: finish.item.test.id, result: text });
          else cancel.mutate({ labTestId: finish.item.test.id, reason: text });
        }}
      >
        <Stack>
          <Textarea
            label={isComplete ? 'Result' : 'Reason for cancelling'}
            description={describeTextLimit(isComplete ? LAB_RESULT_MAX : LAB_CANCEL_MAX)}
            maxLength={isComplete ? LAB_RESULT_MAX : LAB_CANCEL_MAX}
            withAsterisk
            autosize
            minRows={isComplete ? 5 : 2}
            data-autofocus
            value={text}
            error={error}
            onChange={(event) => {
              setText(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Back
            </Button>
            <Button
              type="submit"
              color={isComplete ? 'green' : 'red'}
              loading={complete.isPending || cancel.isPending}
            >
              {isComplete ? 'Complete with this result' : 'Cancel the order'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
