/**
 * On the Devices screen: revoke a workstation (lost, stolen or replaced), online only, after a
 * confirmation naming it. The server refuses this workstation itself and another hospital's.
 */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useReauth } from '../../session/reauth-dialog';
import { describeFailure, useTRPC } from '../../trpc/client';

export function RevokeDevice({
  device,
  onRevoked,
}: {
  device: { id: string; name: string };
  onRevoked: () => void;
}) {
  const trpc = useTRPC();
  const reauth = useReauth();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.sync.revokeDevice.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        onRevoked();
      },
    }),
  );
  const close = () => {
    setConfirming(false);
    revoke.reset();
  };
  return (
    <>
      <Button
        size="xs"
        color="red"
        variant="light"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Revoke…
      </Button>
      <Modal opened={confirming} onClose={close} title={`Revoke ${device.name}?`}>
        <Stack>
          <Text>
            {device.name} will no longer be able to sync or sign anyone in online. Changes it has
            not sent stay on it; to send them, IT enrolls it again. Revoking needs the network.
          </Text>
          {revoke.error ? (
            <Alert color="red" title="Not revoked" role="alert">
              {describeFailure(revoke.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => {
                void reauth('devices.revoke').then((reauthProof) => {
                  if (reauthProof) revoke.mutate({ deviceId: device.id, reauthProof });
                });
              }}
            >
              Revoke {device.name}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
