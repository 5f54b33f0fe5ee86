/** Prints the patient's wristband and specimen labels (MRN as Code 128 and QR, issue 17). */
import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { notifyFailure } from '../../components/notify';
import { PrintPreview, type PrintedDocument } from '../../components/print-preview';
import { useReauth } from '../../session/reauth-dialog';
import { useTRPC } from '../../trpc/client';

export function PrintWristbandButton({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const reauth = useReauth();
  const [printed, setPrinted] = useState<PrintedDocument | null>(null);
  const print = useMutation(
    trpc.print.wristband.mutationOptions({ onSuccess: setPrinted, onError: notifyFailure }),
  );
  return (
    <>
      <Button
        variant="subtle"
        size="xs"
        loading={print.isPending}
        onClick={() => {
          void reauth('print').then((reauthProof) => {
            if (reauthProof) print.mutate({ patientId, reauthProof });
          });
        }}
      >
        Print wristband and labels
      </Button>
      {printed ? (
        <PrintPreview
          document={printed}
          onClose={() => {
            setPrinted(null);
          }}
        />
      ) : null}
    </>
  );
}
