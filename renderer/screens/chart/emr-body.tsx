/**
 * An EMR entry's JSON body read as a document: keys as headings, text as text, arrays as lists,
 * dates formatted; never raw JSON, whatever shape a record arrives in from another system.
 */
import { List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../components/format';

/** Nesting past this depth is shown as one line per value rather than ever smaller headings. */
const MAX_HEADING_DEPTH = 3;

/** `presentingComplaint` and `past_history` read as "Presenting complaint", "Past history"; a heading a person typed stays as typed. */
export function humanizeKey(key: string): string {
  if (!/^[a-z][A-Za-z0-9_]*$/.test(key)) return key;
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function EmrValue({ value, depth }: { value: unknown; depth: number }): ReactNode {
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
