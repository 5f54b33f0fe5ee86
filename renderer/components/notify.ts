import { notifications } from '@mantine/notifications';
import { describeFailure } from '../trpc/client';

export function notifySaved(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}

export function notifyFailure(error: unknown): void {
  notifications.show({
    color: 'red',
    title: 'Not saved',
    message: describeFailure(error),
    autoClose: 8000,
  });
}
