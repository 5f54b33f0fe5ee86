/** Prints the patient's wristband and specimen labels (MRN as Code 128 and QR, issue 17). */
import { PrintButton } from '../../components/print-button';
import { useTRPCClient } from '../../trpc/client';

export function PrintWristbandButton({ patientId }: { patientId: string }) {
  const client = useTRPCClient();
  return (
    <PrintButton
      label="Print wristband and labels"
      request={(reauthProof) => client.print.wristband.mutate({ patientId, reauthProof })}
    />
  );
}
