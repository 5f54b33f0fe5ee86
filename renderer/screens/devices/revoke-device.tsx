/**
 * On the Devices screen: revoke a workstation (lost, stolen or replaced), online only, after a
 * confirmation naming it. The server refuses this workstation itself and another hospital's.
 */
import { Button, Modal } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ReauthConfirm } from '../../components/reauth-confirm';
import { useTRPC } from '../../trpc/client';

export function RevokeDevice({
  device,
  onRevoked,
}: {
  device: { id: string; name: string };
  onRevoked: () => void;
}) {
  const trpc = useTRPC();
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
        <ReauthConfirm
          action="devices.revoke"
          explanation={`${device.name} will no longer be able to sync or sign anyone in online. Changes it has not sent stay on it; to send them, IT enrolls it again, or exports them to a rescue file and replays it from another workstation. Revoking needs the network.`}
          error={revoke.error}
          failedTitle="Not revoked"
          actionLabel={`Revoke ${device.name}`}
          pending={revoke.isPending}
          onConfirm={(reauthProof) => {
            revoke.mutate({ deviceId: device.id, reauthProof });
          }}
          onCancel={close}
        />
      </Modal>
    </>
  );
}
