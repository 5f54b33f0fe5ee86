/**
 * The visit's local EMR record: each entry's JSON body read as a document (keys as headings,
 * text as text, arrays as lists), never as raw JSON. Doctors add an entry (`emr:write`).
 */
import {
  Button,
  Group,
  List,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { formatDateTime } from '../../components/format';
import { FormActions } from '../../components/form-actions';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import type { RouterInputs } from '../../trpc/types';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';

type EmrKind = RouterInputs['emr']['add']['kind'];

const KIND_LABELS: Record<EmrKind, string> = {
  visit_record: 'Visit record',
  assessment: 'Assessment',
  procedure: 'Procedure',
  imaging: 'Imaging',
  other: 'Other',
};

/** Nesting past this depth is shown as one line per value rather than ever smaller headings. */
const MAX_HEADING_DEPTH = 3;

export function EmrRecordPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canWrite = useCan('emr:write') && visit.status === 'admitted';
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="sm" data-testid="emr-record">
      <Group justify="space-between">
        <Text fw={600}>EMR record of this stay</Text>
        {canWrite ? (
          <Button
            onClick={() => {
              setAdding(true);
            }}
          >
            Add to the record
          </Button>
        ) : null}
      </Group>
      {chart.emrRecords.length === 0 ? (
        <Text c="dimmed">Nothing has been written in this stay&apos;s record yet.</Text>
      ) : null}
      {chart.emrRecords.map((entry) => (
        <Paper
          key={entry.id}
          withBorder
          p="sm"
          component="article"
          aria-labelledby={`emr-${entry.id}`}
        >
          <Group gap="xs" mb={4}>
            <Title order={3} size="h5" id={`emr-${entry.id}`}>
              {kindLabel(entry.kind)}
            </Title>
            <Text size="xs" c="dimmed">
              {formatDateTime(entry.createdAt)}
              {entry.writtenByName ? ` · ${entry.writtenByName}` : ''}
            </Text>
          </Group>
          <EmrValue value={entry.body} depth={0} />
        </Paper>
      ))}
      {adding ? (
        <AddEntryModal
          visitId={visit.id}
          onClose={() => {
            setAdding(false);
          }}
        />
      ) : null}
    </Stack>
  );
}

function kindLabel(kind: string): string {
  return Object.hasOwn(KIND_LABELS, kind) ? KIND_LABELS[kind as EmrKind] : humanizeKey(kind);
}

/** `presentingComplaint` and `past_history` read as "Presenting complaint", "Past history"; a heading a person typed stays as typed. */
function humanizeKey(key: string): string {
  if (!/^[a-z][A-Za-z0-9_]*$/.test(key)) return key;
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function EmrValue({ value, depth }: { value: unknown; depth: number }): ReactNode {
  if (value === null || value === undefined || value === '') {
    return (
      <Text size="sm" c="dimmed">
        –
      </Text>
    );
  }
  if (typeof value === 'string') {
    return (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {ISO_TIME.test(value) ? formatDateTime(value) : value}
      </Text>
    );
  }
  if (typeof value === 'number') return <Text size="sm">{String(value)}</Text>;
  if (typeof value === 'boolean') return <Text size="sm">{value ? 'Yes' : 'No'}</Text>;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.length === 0) return <EmrValue value={null} depth={depth} />;
    return (
      <List size="sm" spacing={2}>
        {items.map((item, index) => (
          <List.Item key={index}>
            <EmrValue value={item} depth={depth + 1} />
          </List.Item>
        ))}
      </List>
    );
  }
  if (typeof value === 'object')
    return <EmrObject value={value as Record<string, unknown>} depth={depth} />;
  // JSON holds nothing else; anything stranger is left out rather than shown as code.
  return null;
}

function EmrObject({ value, depth }: { value: Record<string, unknown>; depth: number }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <EmrValue value={null} depth={depth} />;
  if (depth >= MAX_HEADING_DEPTH) {
    return (
      <Stack gap={0}>
        {entries.map(([key, item]) => (
          <Text size="sm" key={key}>
            <Text span fw={600} size="sm">
              {humanizeKey(key)}:
            </Text>{' '}
            {flatten(item)}
          </Text>
        ))}
      </Stack>
    );
  }
  const order = Math.min(4 + depth, 6) as 4 | 5 | 6;
  return (
    <Stack gap={6}>
      {entries.map(([key, item]) => (
        <div key={key}>
          <Title order={order} size="h6">
            {humanizeKey(key)}
          </Title>
          <EmrValue value={item} depth={depth + 1} />
        </div>
      ))}
    </Stack>
  );
}

/** Deep values on one line: "a, b; key: value". */
function flatten(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.map(flatten).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${humanizeKey(key)}: ${flatten(item)}`)
      .join('; ');
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

interface SectionDraft {
  heading: string;
  text: string;
}

function AddEntryModal({ visitId, onClose }: { visitId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const [kind, setKind] = useState<EmrKind>('assessment');
  const [sections, setSections] = useState<SectionDraft[]>([{ heading: 'Note', text: '' }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = useMutation(
    trpc.emr.add.mutationOptions({
      onSuccess: async () => {
        notifySaved('Added to the EMR record.');
        onClose();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  const change = (index: number, patch: Partial<SectionDraft>) => {
    setSections((current) =>
      current.map((section, i) => (i === index ? { ...section, ...patch } : section)),
    );
  };
  return (
    <Modal opened onClose={onClose} title="Add to the EMR record" size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = validateSections(sections);
          setErrors(found);
          if (Object.keys(found).length === 0) add.mutate({ visitId, kind, sections });
        }}
      >
        <Stack>
          <Select
            label="Kind of entry"
            allowDeselect={false}
            data={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            value={kind}
            onChange={(value) => {
              if (value) setKind(value as EmrKind);
            }}
          />
          {sections.map((section, index) => (
            <Paper withBorder p="xs" key={index}>
              <Stack gap="xs">
                <Group align="flex-end" gap="xs">
                  <TextInput
                    label={`Heading of section ${String(index + 1)}`}
                    withAsterisk
                    flex={1}
                    value={section.heading}
                    error={errors[`${String(index)}.heading`]}
                    onChange={(event) => {
                      change(index, { heading: event.currentTarget.value });
                    }}
                  />
                  {sections.length > 1 ? (
                    <Button
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        setSections((current) => current.filter((_, i) => i !== index));
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </Group>
                <Textarea
                  label={`Text of section ${String(index + 1)}`}
                  withAsterisk
                  autosize
                  minRows={3}
                  data-autofocus={index === 0 ? true : undefined}
                  value={section.text}
                  error={errors[`${String(index)}.text`]}
                  onChange={(event) => {
                    change(index, { text: event.currentTarget.value });
                  }}
                />
              </Stack>
            </Paper>
          ))}
          {sections.length < 20 ? (
            <Group>
              <Button
                variant="default"
                onClick={() => {
                  setSections((current) => [...current, { heading: '', text: '' }]);
                }}
              >
                Add a section
              </Button>
            </Group>
          ) : null}
          <FormActions
            onCancel={onClose}
            loading={add.isPending}
            submitLabel="Save to the record"
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** The service refuses the same things; checking here puts the sentence next to the field. */
function validateSections(sections: readonly SectionDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  sections.forEach((section, index) => {
    const heading = section.heading.trim().toLowerCase();
    if (heading === '') errors[`${String(index)}.heading`] = 'Required';
    else if (seen.has(heading))
      errors[`${String(index)}.heading`] = 'Give each section its own heading';
    seen.add(heading);
    if (section.text.trim() === '') errors[`${String(index)}.text`] = 'Required';
  });
  return errors;
}
