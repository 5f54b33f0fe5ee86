/**
 * On the Devices screen (`devices:manage`), the two halves of a rescue (docs/SYNC.md "A rescue
 * file", issue 14): on a revoked or retiring workstation, save its unsent changes to a file
 * sealed to IT's rescue key; on another enrolled workstation of the hospital, replay such a file
 * with IT's private key. Both ask for the password again (`devices.rescue`). On a desktop install
 * the replica's key is in the OS key store, so these screens are IT's only way to rescue it.
 *
 * The file is saved as a download (a `download` link to a Blob), as the chart's "Save a copy"
 * does: the browser saves it, and Electron asks where with its own save dialog.
 */
import { Alert, Button, Code, FileInput, Group, List, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { DataTable } from '../../components/data-table';
import { bytesOf, readBase64 } from '../../components/file-bytes';
import { useReauth } from '../../session/reauth-dialog';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';

type Exported = RouterOutputs['sync']['rescueExport'];
type Replayed = RouterOutputs['sync']['rescueReplay'];

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

/** A link to the exported bytes, released when the result is replaced or the screen closes. */
function useFileLink(exported: Exported | undefined): string | null {
  const url = useMemo(
    () =>
      exported
        ? URL.createObjectURL(new Blob([bytesOf(exported.content)], { type: 'application/json' }))
        : null,
    [exported],
  );
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

export function RescueExport() {
  const trpc = useTRPC();
  const reauth = useReauth();
  const exportFile = useMutation(trpc.sync.rescueExport.mutationOptions());
  const exported = exportFile.data;
  const link = useFileLink(exported);
  return (
    <Stack gap="sm" component="section" aria-labelledby="rescue-export-title">
      <Title order={3} id="rescue-export-title">
        Unsent changes of this workstation
      </Title>
      <Text size="sm">
        On a workstation that was revoked, or is being retired, with changes it could not send: save
        them to a rescue file, sealed to IT&apos;s rescue key (nothing in it can be read without
        IT&apos;s private key), and replay it from another workstation of the hospital. Saving works
        offline; nothing is removed from this workstation.
      </Text>
      <Group>
        <Button
          variant="default"
          loading={exportFile.isPending}
          onClick={() => {
            void reauth('devices.rescue').then((reauthProof) => {
              if (reauthProof) exportFile.mutate({ reauthProof });
            });
          }}
        >
          Save unsent changes to a rescue file
        </Button>
      </Group>
      {exportFile.error ? (
        <Alert color="red" title="No rescue file was made" role="alert">
          {describeFailure(exportFile.error)}
        </Alert>
      ) : null}
      {exported && link ? (
        <Alert color="green" title="Rescue file ready" role="status" data-testid="rescue-exported">
          <Stack gap="xs">
            <List size="sm">
              <List.Item data-testid="rescue-exported-changes">
                {plural(exported.mutations, 'unsent change')}
              </List.Item>
              <List.Item>{plural(exported.events, 'audit event')} not yet on the server</List.Item>
              <List.Item data-testid="rescue-exported-refused">
                {plural(exported.refusedKept, 'change')} the server refused earlier{' '}
                {exported.refusedKept === 1 ? 'stays' : 'stay'} on this workstation for a person
                here to look at (Sync screen): not in the file
              </List.Item>
            </List>
            <Text size="sm">
              Nothing was removed from this workstation: if it is enrolled again it still sends them
              itself, and the server takes each change once. Sealed to the rescue key{' '}
              <Code>{exported.sealedTo.slice(0, 16)}</Code>.
            </Text>
            <Group>
              <Button component="a" href={link} download={exported.fileName} size="sm">
                Save the rescue file
              </Button>
              <Text size="sm" c="dimmed">
                {exported.fileName}
              </Text>
            </Group>
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}

export function RescueReplay() {
  const trpc = useTRPC();
  const reauth = useReauth();
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const replay = useMutation(trpc.sync.rescueReplay.mutationOptions());
  const start = async () => {
    if (!file || !key) return;
    setReadError(null);
    replay.reset();
    const reauthProof = await reauth('devices.rescue');
    if (!reauthProof) return;
    let content: string;
    let privateKey: string;
    try {
      [content, privateKey] = await Promise.all([readBase64(file), key.text()]);
    } catch (error) {
      setReadError(describeFailure(error));
      return;
    }
    replay.mutate({ content, privateKey, reauthProof });
  };
  const failure = readError ?? (replay.error ? describeFailure(replay.error) : null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="rescue-replay-title">
      <Title order={3} id="rescue-replay-title">
        Replay a rescue file
      </Title>
      <Text size="sm">
        Another workstation&apos;s rescue file, opened with IT&apos;s rescue private key, is sent to
        the server as that workstation&apos;s own changes, in your name. It needs the server. A
        change the server already has is not made twice, so a replay cut short is simply run again.
      </Text>
      <Group align="end">
        <FileInput
          label="Rescue file"
          accept=".json,application/json"
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the rescue file' }}
          value={file}
          onChange={setFile}
        />
        <FileInput
          label="IT's rescue private key (PEM)"
          accept=".pem,.key,.txt"
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the key file' }}
          value={key}
          onChange={setKey}
        />
        <Button
          disabled={!file || !key}
          loading={replay.isPending}
          onClick={() => {
            void start();
          }}
        >
          Replay the rescue file
        </Button>
      </Group>
      {failure ? (
        <Alert color="red" title="Not replayed" role="alert" data-testid="rescue-replay-failed">
          {failure}
        </Alert>
      ) : null}
      {replay.data ? <ReplayResult result={replay.data} /> : null}
    </Stack>
  );
}

function ReplayResult({ result }: { result: Replayed }) {
  const landed = result.applied + result.conflicts;
  const refused = result.refused.length;
  return (
    <Stack gap="sm" data-testid="rescue-replayed">
      <Alert
        color={refused > 0 ? 'yellow' : 'green'}
        title={`Replayed the changes of workstation ${result.deviceId}`}
        role="status"
      >
        <List size="sm">
          <List.Item data-testid="rescue-landed">
            {plural(landed, 'change')} of {String(result.mutations)} landed on the server
            {result.conflicts > 0
              ? ` (${String(result.conflicts)} with a field kept from a later change, in its conflict record)`
              : ''}
          </List.Item>
          <List.Item data-testid="rescue-duplicates">
            {plural(result.duplicates, 'change')} the server already had: nothing changed
          </List.Item>
          <List.Item data-testid="rescue-refused-count">
            {plural(refused, 'change')} refused by the server
          </List.Item>
          <List.Item>
            {plural(result.events.accepted, 'audit event')} of {String(result.events.sent)} new to
            the server
            {result.events.unverified > 0
              ? `, ${String(result.events.unverified)} not verified (kept and flagged)`
              : ''}
          </List.Item>
        </List>
      </Alert>
      {refused > 0 ? (
        <DataTable
          data-testid="rescue-refused"
          caption="Changes in the rescue file the server refused"
          showCaption
          columns={[
            { key: 'seq', header: 'Change number', cell: (row) => String(row.deviceSeq) },
            { key: 'what', header: 'Change', cell: (row) => row.what },
            { key: 'table', header: 'Table', cell: (row) => <Code>{row.table}</Code> },
            { key: 'op', header: 'Operation', cell: (row) => row.op },
            { key: 'why', header: "The server's reason", cell: (row) => row.message },
          ]}
          rows={result.refused}
          rowKey={(row) => row.mutationId}
        />
      ) : null}
    </Stack>
  );
}
