/**
 * Lab reports and images of the stay (issue 17): attach a PDF, JPEG or PNG to a lab test or an
 * EMR entry, and open one. The viewer is minimal: images are shown, a PDF is offered to save
 * (the renderer's content policy frames nothing, so no PDF viewer is embedded).
 */
import { Alert, Anchor, Button, FileInput, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ATTACHMENT_MAX_BYTES, attachmentTooLarge } from '../../../shared/attachment-types';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
import type { Chart, ChartVisit } from './use-chart';

type Opened = RouterOutputs['attachments']['open'];

const sizeOf = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => {
      reject(new Error('The file could not be read from this computer.'));
    };
    reader.readAsDataURL(file);
  });
}

export function AttachmentsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const trpc = useTRPC();
  const canAttach = useCan('attachments:add');
  const list = useQuery(trpc.attachments.listForVisit.queryOptions({ visitId: visit.id }));
  const [opened, setOpened] = useState<Opened | null>(null);
  const open = useMutation(
    trpc.attachments.open.mutationOptions({ onSuccess: setOpened, onError: notifyFailure }),
  );
  const targets = [
    ...chart.labTests.map((t) => ({ value: `lab:${t.id}`, label: `Lab: ${t.testName}` })),
    ...(visit.status === 'admitted'
      ? chart.emrRecords.map((e) => ({
          value: `emr:${e.id}`,
          label: `EMR ${e.kind.replace('_', ' ')} of ${formatDateTime(e.createdAt)}`,
        }))
      : []),
  ];
  return (
    <Stack gap="sm">
      {canAttach ? <AttachForm targets={targets} onAttached={() => void list.refetch()} /> : null}
      <DataTable
        striped
        caption="Attachments of this stay"
        data-testid="attachments-table"
        columns={[
          { key: 'name', header: 'File', cell: (a) => a.fileName },
          { key: 'type', header: 'Type', cell: (a) => a.mediaType },
          { key: 'size', header: 'Size', cell: (a) => sizeOf(a.byteSize) },
          { key: 'at', header: 'Attached', cell: (a) => formatDateTime(a.createdAt) },
          {
            key: 'open',
            header: '',
            cell: (a) => (
              <Button
                size="xs"
                variant="default"
                loading={open.isPending && open.variables.attachmentId === a.id}
                onClick={() => {
                  open.mutate({ attachmentId: a.id });
                }}
              >
                Open
              </Button>
            ),
          },
        ]}
        rows={list.data ?? []}
        rowKey={(a) => a.id}
        empty="No attachments on this stay."
      />
      {opened ? (
        <Modal
          opened
          size="xl"
          title={opened.fileName}
          onClose={() => {
            setOpened(null);
          }}
        >
          {opened.mediaType === 'application/pdf' ? (
            <Stack>
              <Text size="sm">PDF report, {sizeOf(opened.byteSize)}.</Text>
              <Anchor
                href={`data:application/pdf;base64,${opened.contentBase64}`}
                download={opened.fileName}
              >
                Save a copy to open it
              </Anchor>
            </Stack>
          ) : (
            <img
              alt={opened.fileName}
              style={{ maxWidth: '100%' }}
              src={`data:${opened.mediaType};base64,${opened.contentBase64}`}
            />
          )}
        </Modal>
      ) : null}
    </Stack>
  );
}

function AttachForm({
  targets,
  onAttached,
}: {
  targets: { value: string; label: string }[];
  onAttached: () => void;
}) {
  const trpc = useTRPC();
  const [target, setTarget] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attach = useMutation(
    trpc.attachments.attach.mutationOptions({
      onSuccess: () => {
        notifySaved('Attached. It is sent to the server at the next sync.');
        setFile(null);
        onAttached();
      },
      onError: notifyFailure,
    }),
  );
  if (targets.length === 0)
    return <Alert>Order a lab test or write an EMR entry to attach a file to.</Alert>;
  return (
    <Group align="end">
      <Select label="Attach to" data={targets} value={target} onChange={setTarget} />
      <FileInput
        label="Report or image (PDF, JPEG, PNG; at most 20 MB)"
        value={file}
        error={error}
        onChange={(chosen) => {
          setError(
            chosen && chosen.size > ATTACHMENT_MAX_BYTES ? attachmentTooLarge(chosen.size) : null,
          );
          setFile(chosen);
        }}
      />
      <Button
        disabled={!target || !file || error !== null}
        loading={attach.isPending}
        onClick={() => {
          if (!target || !file) return;
          void readBase64(file).then((contentBase64) => {
            const [kind, id = ''] = target.split(':');
            attach.mutate({
              ...(kind === 'lab' ? { labTestId: id } : { emrLocalId: id }),
              fileName: file.name,
              contentBase64,
            });
          }, notifyFailure);
        }}
      >
        Attach
      </Button>
    </Group>
  );
}
