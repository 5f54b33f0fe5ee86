/** Across the top of every screen when the server cannot be reached, or the device needs IT. */
import { Alert } from '@mantine/core';
import { useSyncStatus } from './use-sync-status';

export function OfflineBanner() {
  const { data } = useSyncStatus();
  if (!data) return null;
  if (data.deviceRevoked) {
    return (
      <Alert
        color="red"
        variant="filled"
        mb="sm"
        role="alert"
        title="This workstation is no longer enrolled"
      >
        IT withdrew this workstation&apos;s enrollment, so it takes no new entries: they could not
        be sent. Records can still be read, and entries not yet sent are kept and sent once IT
        enrolls it again. If it will not be enrolled again, an administrator saves them to a rescue
        file on the Devices screen (&quot;Save unsent changes to a rescue file&quot;) and replays it
        from another workstation.
      </Alert>
    );
  }
  return (
    <>
      {data.online === false ? (
        <Alert color="orange" mb="sm" role="status" data-testid="offline-banner" title="Offline">
          The server cannot be reached. Keep working: everything is saved on this workstation and
          sent when the server is back ({data.pending} change{data.pending === 1 ? '' : 's'}{' '}
          waiting).
        </Alert>
      ) : null}
      {data.clockSkewWarning ? (
        <Alert color="yellow" mb="sm" role="status" title="This workstation's clock is wrong">
          Its clock differs from the server's by{' '}
          {Math.round(Math.abs(data.clockSkewMs ?? 0) / 60_000)} minutes. Times you record may be
          off; ask IT to fix the clock.
        </Alert>
      ) : null}
    </>
  );
}
