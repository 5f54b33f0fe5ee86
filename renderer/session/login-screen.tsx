import { Alert, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { SignInForm } from './sign-in-form';

/** `expired`: the last session ended at its 12 hours; the gate passes it from `auth.session`. */
export function LoginScreen({ expired = false }: { expired?: boolean }) {
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400}>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              Wardline
            </Title>
            <Text c="dimmed" size="sm">
              Sign in to this workstation.
            </Text>
          </div>
          {expired ? (
            <Alert color="blue" role="status" title="Your session has ended">
              A session lasts at most 12 hours after sign-in. Please sign in again.
            </Alert>
          ) : null}
          <SignInForm submitLabel="Sign in" />
          <Text size="xs" c="dimmed">
            When the server cannot be reached you can still sign in on a workstation where you
            signed in online in the last few days, with the password you used then.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
