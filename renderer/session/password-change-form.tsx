/**
 * A new password, typed twice, with the current one (or, after an administrator's reset, the
 * temporary one). Online only: the server must learn it so every workstation does.
 */
import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MIN_PASSWORD_LENGTH, PasswordChangeFormSchema } from '../../shared/passwords';
import { zodValidate } from '../forms/zod-form';
import { notifySaved } from '../components/notify';
import { forgetPreviousUser } from '../stores/reset';
import { describeFailure, failureCode, useTRPC } from '../trpc/client';

const EMPTY = { currentPassword: '', newPassword: '', repeatPassword: '' };

function Fields({
  form,
  currentLabel,
}: {
  form: ReturnType<typeof usePasswordForm>;
  currentLabel: string | null;
}) {
  return (
    <>
      {currentLabel ? (
        <PasswordInput
          label={currentLabel}
          autoComplete="current-password"
          data-autofocus
          {...form.getInputProps('currentPassword')}
        />
      ) : null}
      <PasswordInput
        label="New password"
        description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        autoComplete="new-password"
        data-autofocus={currentLabel ? undefined : true}
        {...form.getInputProps('newPassword')}
      />
      <PasswordInput
        label="New password again"
        autoComplete="new-password"
        {...form.getInputProps('repeatPassword')}
      />
    </>
  );
}

function usePasswordForm(currentPassword = '') {
  return useForm({
    mode: 'controlled',
    initialValues: { ...EMPTY, currentPassword },
    validate: zodValidate(PasswordChangeFormSchema),
  });
}

function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  const offline = failureCode(error) === 'password_change_offline';
  return (
    <Alert
      color={offline ? 'orange' : 'red'}
      title={offline ? 'Needs the network' : 'Password not changed'}
      role="alert"
    >
      {describeFailure(error)}
    </Alert>
  );
}

/** From the user menu: the signed-in person's own password. */
export function ChangeOwnPasswordForm({
  signedInOffline,
  onDone,
}: {
  signedInOffline: boolean;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const form = usePasswordForm();
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        notifySaved('Your password is changed. Use the new one on every workstation from now on.');
        onDone();
      },
    }),
  );
  return (
    <form
      onSubmit={form.onSubmit((values) => {
        change.mutate(values);
      })}
      noValidate
    >
      <Stack gap="sm">
        {signedInOffline ? (
          <Text size="sm" c="orange">
            You signed in while the server could not be reached. A new password needs the network;
            if the server is back, it goes through.
          </Text>
        ) : null}
        <Fields form={form} currentLabel="Current password" />
        <Failure error={change.error} />
        <Button type="submit" loading={change.isPending}>
          Change password
        </Button>
      </Stack>
    </form>
  );
}

/** At sign-in, after the server answered that a reset password must be replaced first. */
export function ReplaceTemporaryPasswordForm({
  email,
  temporaryPassword,
  onCancel,
}: {
  email: string;
  temporaryPassword: string;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = usePasswordForm(temporaryPassword);
  const replace = useMutation(
    trpc.auth.replaceTemporaryPassword.mutationOptions({
      onSuccess: async () => {
        forgetPreviousUser(queryClient);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() });
      },
    }),
  );
  return (
    <form
      onSubmit={form.onSubmit((values) => {
        replace.mutate({ ...values, email });
      })}
      noValidate
    >
      <Stack gap="sm">
        <Alert color="blue" title="Choose a new password">
          An administrator reset the password of {email}. Choose your own before you continue.
        </Alert>
        <Fields form={form} currentLabel={null} />
        <Failure error={replace.error} />
        <Button type="submit" loading={replace.isPending}>
          Save and sign in
        </Button>
        <Button variant="subtle" onClick={onCancel}>
          Back to sign-in
        </Button>
      </Stack>
    </form>
  );
}
