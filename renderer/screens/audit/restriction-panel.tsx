/**
 * Whether the picked patient's record is restricted, and, for an administrator
 * (`patients:restrict`), restricting it with a reason or lifting it, after the password again.
 * A restricted chart opens only by break-glass (docs/SCREENS.md "Break-glass").
 */
import { Badge, Button, Group, Select } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RESTRICTION_REASONS, type RestrictionReason } from '../../../shared/catalog/care';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useReauth } from '../../session/reauth-dialog';
import { useCan } from '../../session/use-session';
import { useTRPC, useTRPCClient } from '../../trpc/client';

const REASON_LABELS: Record<RestrictionReason, string> = {
  staff_member: 'A staff member',
  public_figure: 'A public figure',
  patient_request: 'At the patient’s request',
};

export function RestrictionPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const reauth = useReauth();
  const canRestrict = useCan('patients:restrict');
  const [reason, setReason] = useState<RestrictionReason | null>(null);
  const restriction = useQuery(trpc.patients.restriction.queryOptions({ patientId }));
  const change = useMutation({
    mutationFn: async (next: RestrictionReason | null) => {
      const reauthProof = await reauth('patients.restrict');
      if (!reauthProof) return null;
      return next
        ? client.patients.restrict.mutate({ patientId, reason: next, reauthProof })
        : client.patients.liftRestriction.mutate({ patientId, reauthProof });
    },
    onSuccess: async (done) => {
      if (!done) return;
      notifySaved('Saved.');
      await queryClient.invalidateQueries({
        queryKey: trpc.patients.restriction.queryKey({ patientId }),
      });
    },
    onError: notifyFailure,
  });
  const current = restriction.data?.reason ?? null;
  return (
    <Group align="flex-end" data-testid="restriction">
      {current ? (
        <Badge color="orange">Restricted record: {REASON_LABELS[current]}</Badge>
      ) : (
        <Badge color="gray">Not restricted</Badge>
      )}
      {canRestrict && current ? (
        <Button
          size="xs"
          variant="default"
          loading={change.isPending}
          onClick={() => {
            change.mutate(null);
          }}
        >
          Lift the restriction
        </Button>
      ) : null}
      {canRestrict && !current ? (
        <>
          <Select
            size="xs"
            label="Restrict the record: why"
            data={RESTRICTION_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
            value={reason}
            onChange={(value) => {
              setReason(RESTRICTION_REASONS.find((candidate) => candidate === value) ?? null);
            }}
          />
          <Button
            size="xs"
            color="orange"
            disabled={!reason}
            loading={change.isPending}
            onClick={() => {
              change.mutate(reason);
            }}
          >
            Restrict
          </Button>
        </>
      ) : null}
    </Group>
  );
}
