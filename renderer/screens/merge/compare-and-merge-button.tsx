/**
 * The way into a merge from elsewhere: a possible-duplicate alert shows this with the two
 * records it names. Absent for anyone without `patients:merge`.
 */
import { Button, type ButtonProps } from '@mantine/core';
import { useCan } from '../../session/use-session';
import { openPatientMerge } from '../../stores/merge-store';

export function CompareAndMergeButton({
  patientIds,
  ...buttonProps
}: { patientIds: readonly [string, string] } & ButtonProps) {
  if (!useCan('patients:merge')) return null;
  return (
    <Button
      size="compact-sm"
      variant="light"
      {...buttonProps}
      onClick={() => {
        openPatientMerge(patientIds[0], patientIds[1]);
      }}
    >
      Compare and merge
    </Button>
  );
}

export { openPatientMerge };
