/**
 * The password again before a sensitive action (shared/reauth.ts). A screen calls
 * `const reauth = useReauth()` and `const proof = await reauth('staff.grant')`: the dialog asks
 * for the password (Enter confirms, Escape cancels), main checks it, and the proof (null when the
 * person cancelled) goes into the guarded call as `reauthProof`. The password never leaves the
 * dialog's state, which it clears on close.
 */
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { REAUTH_ACTIONS, type ReauthAction } from '../../shared/reauth';
import { describeFailure, useTRPC } from '../trpc/client';

type AskForProof = (action: ReauthAction) => Promise<string | null>;

const ReauthContext = createContext<AskForProof | null>(null);

export function useReauth(): AskForProof {
  const ask = useContext(ReauthContext);
  if (!ask) throw new Error('useReauth is used inside the signed-in screens (ReauthProvider).');
  return ask;
}

export function ReauthProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const confirm = useMutation(trpc.auth.reauthenticate.mutationOptions());
  const [action, setAction] = useState<ReauthAction | null>(null);
  const [password, setPassword] = useState('');
  const resolver = useRef<((proof: string | null) => void) | null>(null);

  const ask = useCallback<AskForProof>((wanted) => {
    resolver.current?.(null);
    setAction(wanted);
    return new Promise((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const finish = (proof: string | null) => {
    resolver.current?.(proof);
    resolver.current = null;
    setAction(null);
    setPassword('');
    confirm.reset();
  };

  return (
    <ReauthContext.Provider value={ask}>
      {children}
      <Modal
        opened={action !== null}
        onClose={() => {
          finish(null);
        }}
        title="Confirm it is you"
      >
        {action ? (
          <form
            data-testid="reauth-dialog"
            onSubmit={(event) => {
              event.preventDefault();
              if (password.length === 0) return;
              confirm.mutate(
                { action, password },
                {
                  onSuccess: (answer) => {
                    finish(answer.proof);
                  },
                  onError: () => {
                    setPassword('');
                  },
                },
              );
            }}
          >
            <Stack>
              <Text>To {REAUTH_ACTIONS[action].toLowerCase()}, enter your password again.</Text>
              <PasswordInput
                label="Your password"
                autoComplete="current-password"
                data-autofocus
                required
                value={password}
                onChange={(event) => {
                  setPassword(event.currentTarget.value);
                }}
              />
              {confirm.error ? (
                <Alert color="red" title="Not confirmed" role="alert">
                  {describeFailure(confirm.error)}
                </Alert>
              ) : null}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  onClick={() => {
                    finish(null);
                  }}
                >
                  Cancel
                </Button>
                <Button type="submit" loading={confirm.isPending}>
                  Confirm
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Modal>
    </ReauthContext.Provider>
  );
}
