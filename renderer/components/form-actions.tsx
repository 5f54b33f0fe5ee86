import { Button, Group } from '@mantine/core';

/** The foot of every form in a modal: Cancel on the left, the action (Enter submits) on the right. */
export function FormActions(props: {
  onCancel: () => void;
  submitLabel: string;
  loading: boolean;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={props.onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={props.loading}>
        {props.submitLabel}
      </Button>
    </Group>
  );
}
