/**
 * A print action: the password again (printing takes patient data off the screen, issue 15),
 * then the document from main, previewed with a Print button. `request` makes the document.
 */
import { Button, type ButtonProps } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useReauth } from '../session/reauth-dialog';
import { notifyFailure } from './notify';
import { PrintPreview, type PrintedDocument } from './print-preview';

export function PrintButton({
  label,
  request,
  variant = 'subtle',
  size = 'xs',
}: {
  label: string;
  request: (reauthProof: string) => Promise<PrintedDocument>;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}) {
  const reauth = useReauth();
  const [printed, setPrinted] = useState<PrintedDocument | null>(null);
  const print = useMutation({ mutationFn: request, onSuccess: setPrinted, onError: notifyFailure });
  return (
    <>
      <Button
        variant={variant}
        size={size}
        loading={print.isPending}
        onClick={() => {
          void reauth('print').then((reauthProof) => {
            if (reauthProof) print.mutate(reauthProof);
          });
        }}
      >
        {label}
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
