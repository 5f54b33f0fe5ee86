/**
 * An IPC message the handler refused (another origin, a subframe, a malformed envelope) is a
 * security event: it goes into the device's audit chain, which reaches the server, instead of a
 * console line nobody reads on a ward PC. The event names the person signed in at the time
 * (none before sign-in) and where the message came from, by origin only: never the message,
 * which may carry a password or patient data, nor the full URL.
 */
import { appendAuditEvent } from '../services/audit';
import type { Workstation } from '../workstation';
import type { IpcSender, RefusalReason } from './handler';

export const IPC_REFUSED_ACTION = 'ipc.refused';

/** A frame that keeps sending gets its first refusals recorded, not a disk filled with them. */
export const MAX_RECORDED_REFUSALS_PER_SENDER = 50;

/** Scheme and host of the sender, e.g. `https://evil.example`; `file://` for a local file. */
export function senderOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`.slice(0, 120);
  } catch {
    return '(no valid URL)';
  }
}

function signedInUser(workstation: Workstation): { userId: string | null; role: string | null } {
  const user = workstation.sessions.holder();
  return { userId: user?.id ?? null, role: user?.role ?? null };
}

export function recordIpcRefusals(workstation: Workstation) {
  const counts = new Map<string, number>();
  return (reason: RefusalReason, sender: IpcSender): void => {
    const count = (counts.get(sender.key) ?? 0) + 1;
    counts.set(sender.key, count);
    if (count > MAX_RECORDED_REFUSALS_PER_SENDER) return;
    const { userId, role } = signedInUser(workstation);
    const signer = workstation.sessions.signer();
    const at = workstation.clock.now().toISOString();
    // Two statements (last event, new event): one transaction keeps the chain whole.
    workstation.db.transaction(() => {
      appendAuditEvent(
        workstation.db,
        {
          action: IPC_REFUSED_ACTION,
          entity: 'ipc',
          entityId: null,
          outcome: 'refused',
          userId,
          role,
          at,
          details: {
            reason,
            senderOrigin: senderOrigin(sender.url),
            topFrame: sender.isTopFrame,
            ...(count === MAX_RECORDED_REFUSALS_PER_SENDER
              ? { furtherRefusalsNotRecorded: true }
              : {}),
          },
        },
        signer?.userId === userId ? signer : null,
      );
    });
  };
}
