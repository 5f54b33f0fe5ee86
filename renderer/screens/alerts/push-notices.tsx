/**
 * Tells the signed-in person at once what the server said about their own change (a possible
 * double dose, a bed already taken), in the words of the clinical alert that came with it. Each
 * notice is shown once, as a notification that stays until closed, with a way to the alert.
 */
import { Button, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { useTRPC } from '../../trpc/client';
import { URGENCY_COLOURS } from './use-alerts';

export function PushNotices() {
  const trpc = useTRPC();
  const canRead = useCan('sync:read');
  const canSeeAlerts = useCan('clinical_alerts:read');
  const open = useNavStore((state) => state.open);
  const shown = useRef(new Set<string>());
  const notices = useQuery({
    ...trpc.sync.notices.queryOptions(),
    enabled: canRead,
    refetchInterval: 2_000,
  });
  const markShown = useMutation(trpc.sync.noticesShown.mutationOptions());
  const { mutate } = markShown;

  useEffect(() => {
    const fresh = (notices.data ?? []).filter((notice) => !shown.current.has(notice.id));
    if (fresh.length === 0) return;
    for (const notice of fresh) {
      shown.current.add(notice.id);
      notifications.show({
        id: `notice-${notice.id}`,
        color: URGENCY_COLOURS[notice.urgency],
        title: notice.title,
        autoClose: false,
        withCloseButton: true,
        closeButtonProps: { 'aria-label': `Close: ${notice.title}` },
        message: (
          <div data-testid="push-notice">
            <Text size="sm">{notice.text}</Text>
            {notice.alert && canSeeAlerts ? (
              <Button
                size="compact-xs"
                variant="light"
                mt={6}
                onClick={() => {
                  notifications.hide(`notice-${notice.id}`);
                  open('alerts');
                }}
              >
                Open the alert
              </Button>
            ) : null}
          </div>
        ),
      });
    }
    mutate({ ids: fresh.map((notice) => notice.id) });
  }, [notices.data, mutate, open, canSeeAlerts]);

  return null;
}
