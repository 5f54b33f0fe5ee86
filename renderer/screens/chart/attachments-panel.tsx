/**
 * Lab reports and images of the stay (issue 17): attach a PDF, JPEG or PNG to a lab test or an
 * EMR entry, and open one in the chart's viewer (attachment-viewer.tsx: PDF pages drawn by
 * pdf.js, images fitted; both with "Save a copy").
 */
import { Alert, Button, FileInput, Group, Select, Stack } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ATTACHMENT_MAX_BYTES, attachmentTooLarge } from '../../../shared/attachment-types';
import { DataTable } from '../../components/data-table';
import { readBase64 } from '../../components/file-bytes';
import { formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { describeFailure, useTRPC } from '../../trpc/client';
import { AttachmentViewer, sizeOf, type OpenedAttachment } from './attachment-viewer';
import type { Chart, ChartVisit } from './use-chart';

export function AttachmentsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const trpc = useTRPC();
  const canAttach = useCan('attachments:add');
  const list = useQuery(trpc.attachments.listForVisit.queryOptions({ visitId: visit.id }));
  const [opened, setOpened] = useState<OpenedAttachment | null>(null);
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
        <AttachmentViewer
          attachment={opened}
          onClose={() => {
            setOpened(null);
          }}
        />
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
      // The refusal's sentence (wrong kind of file, too large, stay closed) under the file itself.
      onError: (failure) => {
        setError(describeFailure(failure));
      },
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
