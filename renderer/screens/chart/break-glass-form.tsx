/**
 * Break-glass (issue 15), in place of a chart the person has no standing access to: why (direct
 * care, emergency, other in their words) and their password again. Enter submits; the chart
 * opens for 60 minutes and every read is recorded with the reason and reviewed by a manager.
 */
import { Alert, Button, Group, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  BREAK_GLASS_MINUTES,
  BREAK_GLASS_REASONS,
  type BreakGlassReason,
} from '../../../shared/break-glass';
import { describeFailure, useTRPCClient } from '../../trpc/client';

const REASONS = Object.entries(BREAK_GLASS_REASONS) as [BreakGlassReason, string][];

export function BreakGlassForm({
  patientId,
  why,
  onOpened,
  onCancel,
}: {
  patientId: string;
  why: string;
  onOpened: () => void;
  onCancel: () => void;
}) {
  const client = useTRPCClient();
  const [reason, setReason] = useState<BreakGlassReason | null>(null);
  const [note, setNote] = useState('');
  const [password, setPassword] = useState('');
  const open = useMutation({
    mutationFn: async () => {
      if (!reason) throw new Error('Choose why you need this chart.');
      if (reason === 'other' && note.trim().length === 0)
        throw new Error('Say why you need this chart.');
      const { proof } = await client.auth.reauthenticate.mutate({
        action: 'break_glass',
        password,
      });
      return client.chart.breakGlass.mutate({
        patientId,
        reason,
        ...(reason === 'other' ? { note: note.trim() } : {}),
        reauthProof: proof,
      });
    },
    onSuccess: () => {
      setPassword('');
      onOpened();
    },
    onError: () => {
      setPassword('');
    },
  });
  return (
    <form
      data-testid="break-glass"
      aria-labelledby="break-glass-title"
      onSubmit={(event) => {
        event.preventDefault();
        open.mutate();
      }}
    >
      <Stack maw={520}>
        <Text component="h2" fw={700} size="lg" id="break-glass-title" m={0}>
          Break-glass access
        </Text>
        <Alert color="orange" role="status" title="You have no standing access to this chart">
          {why} Access lasts {BREAK_GLASS_MINUTES} minutes.
        </Alert>
        <Radio.Group
          label="Why do you need this chart?"
          withAsterisk
          value={reason}
          onChange={(value) => {
            setReason(REASONS.find(([key]) => key === value)?.[0] ?? null);
          }}
        >
          <Stack gap={6} mt={4}>
            {REASONS.map(([key, label]) => (
              <Radio key={key} value={key} label={label} />
            ))}
          </Stack>
        </Radio.Group>
        {reason === 'other' ? (
          <TextInput
            label="Your reason"
            withAsterisk
            maxLength={150}
            description="Your own words; do not write patient details here."
            value={note}
            onChange={(event) => {
              setNote(event.currentTarget.value);
            }}
          />
        ) : null}
        <PasswordInput
          label="Your password"
          withAsterisk
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        {open.error ? (
          <Alert color="red" role="alert" title="Not opened">
            {describeFailure(open.error)}
          </Alert>
        ) : null}
        <Group>
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          <Button
            type="submit"
            color="red"
            loading={open.isPending}
            disabled={password.length === 0}
          >
            Open the chart (break-glass)
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
