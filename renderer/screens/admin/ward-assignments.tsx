/**
 * In the staff drawer: the wards a person works on. They matter once the hospital uses ward
 * assignment (hospitals.wardAssignment): a chart of a patient on another ward then opens by
 * break-glass only. Assigning and removing ask for the password again.
 */
import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useReauth } from '../../session/reauth-dialog';
import { useTRPC, useTRPCClient } from '../../trpc/client';
import type { StaffMember } from './types';

export function WardAssignments({ member }: { member: StaffMember }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const reauth = useReauth();
  const [wardId, setWardId] = useState<string | null>(null);
  const assigned = useQuery(trpc.staff.wards.queryOptions({ userId: member.id }));
  const wards = useQuery(trpc.wards.list.queryOptions());
  const change = useMutation({
    mutationFn: async (step: { assign: string } | { remove: string }): Promise<boolean> => {
      const reauthProof = await reauth('assign' in step ? 'staff.grant' : 'staff.revoke');
      if (!reauthProof) return false;
      if ('assign' in step)
        await client.staff.assignWard.mutate({
          userId: member.id,
          wardId: step.assign,
          reauthProof,
        });
      else await client.staff.unassignWard.mutate({ assignmentId: step.remove, reauthProof });
      return true;
    },
    onSuccess: async (done) => {
      if (!done) return;
      notifySaved('Wards saved.');
      setWardId(null);
      await queryClient.invalidateQueries({
        queryKey: trpc.staff.wards.queryKey({ userId: member.id }),
      });
    },
    onError: notifyFailure,
  });
  const held = new Set((assigned.data?.wards ?? []).map((ward) => ward.wardId));
  return (
    <Stack gap="xs" data-testid="ward-assignments">
      <Title order={3} size="h4">
        Wards
      </Title>
      <Text size="xs" c="dimmed">
        Used when the hospital assigns wards: other wards’ charts then open by break-glass only.
      </Text>
      {(assigned.data?.wards ?? []).map((ward) => (
        <Group key={ward.id} justify="space-between">
          <Text>{ward.wardName}</Text>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            aria-label={`Remove ${ward.wardName}`}
            onClick={() => {
              change.mutate({ remove: ward.id });
            }}
          >
            Remove
          </Button>
        </Group>
      ))}
      <Group align="flex-end">
        <Select
          label="Assign a ward"
          data={(wards.data ?? [])
            .filter((ward) => !held.has(ward.id))
            .map((ward) => ({ value: ward.id, label: ward.name }))}
          value={wardId}
          onChange={setWardId}
        />
        <Button
          disabled={!wardId}
          loading={change.isPending}
          onClick={() => {
            if (wardId) change.mutate({ assign: wardId });
          }}
        >
          Assign
        </Button>
      </Group>
    </Stack>
  );
}
