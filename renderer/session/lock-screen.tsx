import { Button, Center, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { SignInForm } from './sign-in-form';

/** A locked shared workstation: its owner resumes; anyone else signing in ends that session. */
export function LockScreen({ lockedUser }: { lockedUser: { id: string; fullName: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // From the click until the sign-in screen replaces this one, no form to type into: what was
  // typed here would vanish with it.
  const [ending, setEnding] = useState(false);
  const signOut = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() }),
      onError: () => {
        setEnding(false);
      },
    }),
  );
  if (ending)
    return (
      <Center mih="100vh" component="main">
        <Loader aria-label={`Ending ${lockedUser.fullName}'s session`} />
      </Center>
    );
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420}>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              Workstation locked
            </Title>
            <Text size="sm">
              Locked while <strong>{lockedUser.fullName}</strong> was signed in.{' '}
              {lockedUser.fullName} can sign in again to resume; signing in as someone else ends
              that session.
            </Text>
          </div>
          <SignInForm submitLabel="Unlock" lockedUserId={lockedUser.id} />
          <Button
            variant="subtle"
            onClick={() => {
              setEnding(true);
              signOut.mutate();
            }}
            loading={signOut.isPending}
          >
            End {lockedUser.fullName}'s session
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
