/**
 * The first start of a workstation, as hospital IT meets it: nobody can sign in until it is
 * enrolled with the central server (online sign-in needs the device token, offline sign-in needs
 * an earlier online one). IT enters the server address (unless preset), a single-use code and a
 * name; then the first sync brings the hospital's data, and the sign-in screen follows.
 */
import {
  Alert,
  Button,
  Code,
  Center,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { EnrollRequestSchema } from '../../shared/protocol';
import { ServerUrlSchema } from '../../shared/server-address';
import type { WardErrorCode } from '../../shared/ward-error-codes';
import { zodValidate } from '../forms/zod-form';
import { describeFailure, failureCode, useTRPC } from '../trpc/client';
import type { SetupStatus } from './use-setup-status';

/** Refusals about the address go next to the address field when the person can change it. */
const ADDRESS_CODES: ReadonlySet<WardErrorCode> = new Set([
  'server_unreachable',
  'not_a_wardline_server',
  'server_url_required',
  'insecure_server_address',
  'server_certificate_untrusted',
]);
const CODE_CODES: ReadonlySet<WardErrorCode> = new Set(['enrollment_code_invalid']);

export function EnrollmentScreen({ status }: { status: SetupStatus }) {
  return (
    <Center mih="100vh" component="main" data-testid="enrollment-screen">
      <Paper withBorder shadow="sm" p="xl" w={480}>
        {status.enrolled ? (
          <FirstSyncProgress status={status} />
        ) : (
          <EnrollmentForm status={status} />
        )}
      </Paper>
    </Center>
  );
}

function EnrollmentForm({ status }: { status: SetupStatus }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const locked = status.serverUrlLocked;
  const form = useForm({
    mode: 'controlled',
    initialValues: { serverUrl: status.serverUrl ?? '', code: '', deviceName: status.deviceName },
    validate: zodValidate(
      EnrollRequestSchema.extend({ serverUrl: locked ? z.string() : ServerUrlSchema }),
    ),
  });
  const enroll = useMutation(
    trpc.setup.enroll.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.setup.status.queryKey(), next);
      },
      onError: (error) => {
        const code = failureCode(error);
        if (code && CODE_CODES.has(code)) form.setFieldError('code', describeFailure(error));
        else if (code && !locked && ADDRESS_CODES.has(code))
          form.setFieldError('serverUrl', describeFailure(error));
      },
    }),
  );
  const code = failureCode(enroll.error);
  const shownAtField =
    code !== null && (CODE_CODES.has(code) || (!locked && ADDRESS_CODES.has(code)));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        enroll.mutate({
          code: values.code,
          deviceName: values.deviceName,
          ...(locked ? {} : { serverUrl: values.serverUrl.trim() }),
        });
      })}
    >
      <Stack gap="md">
        <div>
          <Title order={1} size="h2">
            Set up this workstation
          </Title>
          <Text size="sm">
            This workstation is not enrolled with a hospital yet, so nobody can sign in on it.
            Enroll it once with a single-use code; after that it syncs by itself.
          </Text>
        </div>
        {status.presetCodeRefusal ? (
          <Alert color="orange" title="The enrollment code IT preset was refused" role="alert">
            {status.presetCodeRefusal} Enter a new code below.
          </Alert>
        ) : null}
        <TextInput
          label="Server address"
          description={
            locked ? 'Set by IT in the workstation configuration.' : 'The address IT gave you.'
          }
          placeholder="https://wardline.hospital.example"
          readOnly={locked}
          variant={locked ? 'filled' : 'default'}
          autoComplete="url"
          {...form.getInputProps('serverUrl')}
        />
        <TextInput
          label="Enrollment code"
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          autoFocus
          {...form.getInputProps('code')}
        />
        <TextInput
          label="Workstation name"
          description="How IT will recognise this workstation, e.g. Ward 3 nurses' station."
          {...form.getInputProps('deviceName')}
        />
        {enroll.error && !shownAtField ? (
          <Alert color="red" title="Could not enroll this workstation" role="alert">
            {describeFailure(enroll.error)}
          </Alert>
        ) : null}
        {enroll.isPending ? (
          <Text size="sm" role="status">
            Contacting the server…
          </Text>
        ) : null}
        <Button type="submit" loading={enroll.isPending}>
          Enroll this workstation
        </Button>
        <Text size="xs" c="dimmed">
          IT creates a code for the hospital on the central server with{' '}
          <Code>npm run server -- enroll-code --hospital HOSPITAL-CODE</Code>. A code works once,
          for 24 hours.
        </Text>
      </Stack>
    </form>
  );
}

/** "40 seconds", "3 minutes": what a person waiting at the screen needs, no more. */
function timeLeft(seconds: number): string {
  if (seconds < 1.5) return 'a second';
  if (seconds < 90) return `${String(Math.round(seconds))} seconds`;
  return `${String(Math.round(seconds / 60))} minutes`;
}

/**
 * No way past this to sign-in: before the first pull the replica lacks the roles and the
 * hospital a signed-in user's row refers to, and a nurse would find no patients anyway.
 */
function FirstSyncProgress({ status }: { status: SetupStatus }) {
  const rows = status.firstSync.rows ?? 0;
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Workstation enrolled
        </Title>
        <Text size="sm">
          It now fetches the hospital&apos;s patients, beds and staff. Sign-in opens when this is
          done.
        </Text>
      </div>
      <Stack gap={4} align="center" role="status" data-testid="first-sync" data-rows={rows}>
        <Loader size="sm" aria-hidden />
        <Text fw={600}>
          Fetching the hospital&apos;s data: {rows.toLocaleString()} {rows === 1 ? 'row' : 'rows'}
          {status.firstSync.total !== null ? ` of ${status.firstSync.total.toLocaleString()}` : ''}
        </Text>
        {status.firstSync.ratePerSecond !== null ? (
          <Text size="sm">
            {Math.round(status.firstSync.ratePerSecond).toLocaleString()} rows a second
            {status.firstSync.secondsLeft !== null
              ? `, about ${timeLeft(status.firstSync.secondsLeft)} left`
              : ''}
          </Text>
        ) : null}
      </Stack>
      {status.firstSync.error ? (
        <Alert color="orange" title="The first sync has not finished yet" role="alert">
          {status.firstSync.error} Wardline keeps trying by itself; sign-in opens as soon as the
          hospital&apos;s data is here.
        </Alert>
      ) : null}
    </Stack>
  );
}
