/** Grant one permission directly: picked from the catalog (with its description), an optional last day, a reason. */
import { Button, Select, Stack, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useReauth } from '../../session/reauth-dialog';
import { useTRPC } from '../../trpc/client';
import type { StaffMember } from './types';

export function GrantForm({
  member,
  grantable,
  onGranted,
}: {
  member: StaffMember;
  grantable: readonly string[];
  onGranted: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const reauth = useReauth();
  const catalog = useQuery(trpc.staff.roles.queryOptions());
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      permission: null as string | null,
      lastDay: null as string | null,
      reason: '',
    },
    validate: {
      permission: (value) => (value ? null : 'Pick a permission'),
      reason: (value) => (value.trim() ? null : 'Required'),
      lastDay: (value) =>
        value && dayjs(value).endOf('day').isBefore(dayjs()) ? 'Pick today or a later day' : null,
    },
  });
  const grant = useMutation(
    trpc.staff.grant.mutationOptions({
      onSuccess: async () => {
        notifySaved(`Granted to ${member.fullName}.`);
        form.reset();
        await onGranted();
      },
      onError: notifyFailure,
    }),
  );
  const held = new Set(member.grants.map((existing) => existing.permission));
  const options = (catalog.data?.permissions ?? [])
    .filter((permission) => grantable.includes(permission.key) && !held.has(permission.key))
    .map((permission) => ({
      value: permission.key,
      label: `${permission.key} — ${permission.description}`,
    }));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        const permission = values.permission;
        if (!permission) return;
        void reauth('staff.grant').then((reauthProof) => {
          if (!reauthProof) return;
          grant.mutate({
            userId: member.id,
            permission,
            // The grant lasts to the end of the chosen day on this workstation's clock.
            expiresAt: values.lastDay ? dayjs(values.lastDay).endOf('day').toISOString() : null,
            reason: values.reason.trim(),
            reauthProof,
          });
        });
      })}
    >
      <Stack gap="sm">
        <Title order={3} size="h4">
          Grant a permission
        </Title>
        <Select
          label="Permission"
          withAsterisk
          searchable
          data={options}
          nothingFoundMessage="No permission you may grant"
          {...form.getInputProps('permission')}
        />
        <DateInput
          label="Last day"
          description="Leave empty for no expiry"
          clearable
          valueFormat="YYYY-MM-DD"
          minDate={dayjs().format('YYYY-MM-DD')}
          {...form.getInputProps('lastDay')}
        />
        <TextInput
          label="Reason"
          withAsterisk
          placeholder="e.g. Covering the lab tonight"
          {...form.getInputProps('reason')}
        />
        <Button type="submit" loading={grant.isPending} style={{ alignSelf: 'flex-end' }}>
          Grant
        </Button>
      </Stack>
    </form>
  );
}
