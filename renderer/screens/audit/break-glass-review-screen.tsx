/**
 * Break-glass review (issue 15) for managers and privacy officers: every break-glass of the
 * hospital, newest first, with the reason, why standing access did not reach, how many chart
 * reads ran under it, and a sign-off. Online from the server; offline this workstation's only.
 */
import { Alert, Badge, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

type Entry = RouterOutputs['audit']['breakGlassReview']['entries'][number];

const CAUSES: Record<string, string> = {
  restricted: 'Restricted record',
  outside_wards: 'Outside their wards',
};

export function BreakGlassReviewScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const review = useQuery(trpc.audit.breakGlassReview.queryOptions());
  const signOff = useMutation(
    trpc.audit.signOffBreakGlass.mutationOptions({
      onSuccess: async () => {
        notifySaved('Signed off.');
        await queryClient.invalidateQueries({ queryKey: trpc.audit.breakGlassReview.queryKey() });
      },
      onError: notifyFailure,
    }),
  );
  const entries = review.data?.entries ?? [];
  return (
    <Stack component="section" aria-labelledby="break-glass-review-title">
      <Title order={2} id="break-glass-review-title">
        Break-glass review
      </Title>
      <Text c="dimmed">
        Each time someone opened a chart without standing access: check the reason, then sign it
        off. The access report of the patient shows every read.
      </Text>
      {review.error ? (
        <Alert color="red" role="alert" title="The review could not be read">
          {describeFailure(review.error)}
        </Alert>
      ) : null}
      {review.data?.partialBecause ? (
        <Alert color="yellow" title="Partial list">
          {review.data.partialBecause}
        </Alert>
      ) : null}
      <DataTable<Entry>
        caption="Break-glass to review"
        data-testid="break-glass-review"
        rows={entries}
        rowKey={(entry) => entry.id}
        empty={review.data ? 'Nobody has used break-glass.' : null}
        columns={[
          { key: 'at', header: 'When (UTC)', cell: (entry) => formatDateTime(entry.at) },
          {
            key: 'who',
            header: 'Who',
            cell: (entry) => `${entry.userName ?? entry.userId ?? '—'} (${entry.role ?? '—'})`,
          },
          { key: 'patient', header: 'Patient', cell: (entry) => entry.patient ?? '—' },
          { key: 'purpose', header: 'Reason', cell: (entry) => entry.purpose ?? '—' },
          {
            key: 'cause',
            header: 'Why break-glass',
            cell: (entry) => (entry.cause ? (CAUSES[entry.cause] ?? entry.cause) : '—'),
          },
          { key: 'where', header: 'Workstation', cell: (entry) => entry.workstation ?? '—' },
          { key: 'reads', header: 'Reads', cell: (entry) => String(entry.reads) },
          {
            key: 'review',
            header: 'Sign-off',
            cell: (entry) =>
              entry.reviewedAt ? (
                <Badge color="green">
                  {`Signed off by ${entry.reviewedBy ?? 'a manager'}, ${formatDateTime(entry.reviewedAt)}`}
                </Badge>
              ) : (
                <Button
                  size="compact-sm"
                  disabled={!entry.patientId}
                  loading={signOff.isPending && signOff.variables.startEventId === entry.id}
                  onClick={() => {
                    if (entry.patientId)
                      signOff.mutate({
                        startEventId: entry.id,
                        patientId: entry.patientId,
                        openedBy: entry.userId,
                      });
                  }}
                >
                  Sign off
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}
