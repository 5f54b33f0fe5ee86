/** Email and password; Enter submits. Used by the login screen and the lock screen alike. */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LoginRequestSchema } from '../../shared/protocol';
import { forgetPreviousUser } from '../stores/reset';
import type { WardErrorCode } from '../../shared/ward-error-codes';
import { describeFailure, failureCode, useTRPC } from '../trpc/client';
import { zodValidate } from '../forms/zod-form';
import { ReplaceTemporaryPasswordForm } from './password-change-form';

const OFFLINE_CODES: ReadonlySet<WardErrorCode> = new Set([
  'offline_not_cached',
  'offline_login_expired',
  'wrong_password',
]);

export function SignInForm({
  submitLabel,
  lockedUserId,
}: {
  submitLabel: string;
  lockedUserId?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // After a reset: the temporary password typed, kept only while the new one is chosen.
  const [mustChange, setMustChange] = useState<{ email: string; password: string } | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: zodValidate(LoginRequestSchema),
  });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async (result) => {
        // Resuming one's own locked session keeps nothing either: the lock already cleared the screen.
        if (result.user.id !== lockedUserId) forgetPreviousUser(queryClient);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() });
      },
      onError: (error, values) => {
        if (failureCode(error) === 'password_change_required') setMustChange(values);
        form.setFieldValue('password', '');
      },
    }),
  );
  const code = failureCode(login.error);

  if (mustChange)
    return (
      <ReplaceTemporaryPasswordForm
        email={mustChange.email}
        temporaryPassword={mustChange.password}
        onCancel={() => {
          setMustChange(null);
          login.reset();
        }}
      />
    );

  return (
    <form
      onSubmit={form.onSubmit((values) => {
        login.mutate(values);
      })}
      noValidate
    >
      <Stack gap="sm">
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          data-autofocus
          autoFocus
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          {...form.getInputProps('password')}
        />
        {login.error ? (
          <Alert
            color={code === 'account_locked' ? 'orange' : 'red'}
            title={titleFor(code)}
            role="alert"
          >
            {describeFailure(login.error)}
          </Alert>
        ) : null}
        <Button type="submit" loading={login.isPending}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}

function titleFor(code: WardErrorCode | null): string {
  if (code === 'account_locked') return 'Account locked';
  if (code && OFFLINE_CODES.has(code)) return 'Server offline';
  return 'Could not sign in';
}
