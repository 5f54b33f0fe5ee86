/**
 * A chart entry that has not reached the server yet carries a small mark: "not yet sent" while its
 * change waits in the outbox, "refused" when the server refused it (the Sync screen says why).
 * Words, not colour alone; nothing at all once it is on the server.
 */
import { Badge } from '@mantine/core';

export function SendStateMark({ state }: { state: 'pending' | 'rejected' | null }) {
  if (state === null) return null;
  return state === 'pending' ? (
    <Badge
      size="xs"
      variant="outline"
      color="dark"
      ml={4}
      data-testid="not-yet-sent"
      title="Saved on this workstation; not yet on the server"
    >
      not yet sent
    </Badge>
  ) : (
    <Badge
      size="xs"
      color="red"
      ml={4}
      data-testid="refused-by-server"
      title="The server refused this change; see the Sync screen"
    >
      refused by the server
    </Badge>
  );
}
