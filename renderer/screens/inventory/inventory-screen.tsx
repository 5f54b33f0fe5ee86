/**
 * Stock with low-stock and expiry warnings first. Stock changes are recorded as movements
 * (received, dispensed, expired, adjusted, each with a reason); how many are in stock is their
 * sum, so what two workstations dispense offline adds up when they sync.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDate, formatDateTime } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterInputs, RouterOutputs } from '../../trpc/types';
import { FormActions } from '../../components/form-actions';

type Item = RouterOutputs['inventory']['list'][number];

const WARNING_COLOURS: Record<string, string> = {
  low_stock: 'orange',
  expiring: 'yellow',
  expired: 'red',
};
const WARNING_LABELS: Record<string, string> = {
  low_stock: 'low stock',
  expiring: 'expiring',
  expired: 'expired',
};

export function InventoryScreen() {
  const trpc = useTRPC();
  // Movements recorded on other workstations arrive with each pull.
  const list = useQuery({ ...trpc.inventory.list.queryOptions(), refetchInterval: 10_000 });
  const canAdjust = useCan('inventory:adjust');
  const [recording, setRecording] = useState<Item | null>(null);
  const [history, setHistory] = useState<Item | null>(null);
  const items = [...(list.data ?? [])].sort((a, b) => b.warnings.length - a.warnings.length);
  const warned = items.filter((item) => item.warnings.length > 0);

  return (
    <Stack gap="sm">
      <Title order={2}>Inventory</Title>
      {list.error ? <Text c="red.8">{describeFailure(list.error)}</Text> : null}
      {warned.length > 0 ? (
        <Alert
          color="orange"
          title={`${String(warned.length)} item${warned.length === 1 ? '' : 's'} need attention`}
        >
          {warned.flatMap((item) => item.warnings.map((warning) => warning.message)).join(' ')}
        </Alert>
      ) : null}
      <DataTable
        striped
        data-testid="inventory-table"
        caption="Stock items, those needing attention first"
        columns={[
          { key: 'item', header: 'Item', cell: (item) => item.name, td: { fw: 600 } },
          { key: 'type', header: 'Type', cell: (item) => item.itemType },
          {
            key: 'quantity',
            header: 'In stock',
            cell: (item) => `${String(item.quantity)} ${item.unit}`,
          },
          { key: 'threshold', header: 'Reorder at', cell: (item) => item.threshold },
          {
            key: 'expires',
            header: 'Expires',
            cell: (item) => (item.expiresOn ? formatDate(item.expiresOn) : '–'),
          },
          { key: 'location', header: 'Location', cell: (item) => item.location ?? '–' },
          { key: 'warnings', header: 'Warnings', cell: (item) => <WarningBadges item={item} /> },
          {
            key: 'actions',
            header: 'Actions',
            cell: (item) => (
              <Group gap={4} wrap="nowrap">
                {canAdjust ? (
                  <Button
                    size="compact-sm"
                    variant="light"
                    aria-label={`Record stock of ${item.name}`}
                    onClick={() => {
                      setRecording(item);
                    }}
                  >
                    Record…
                  </Button>
                ) : null}
                <Button
                  size="compact-sm"
                  variant="subtle"
                  aria-label={`Movements of ${item.name}`}
                  onClick={() => {
                    setHistory(item);
                  }}
                >
                  Movements
                </Button>
              </Group>
            ),
          },
        ]}
        rows={items}
        rowKey={(item) => item.id}
        empty={list.data ? 'No stock items are recorded for this hospital.' : null}
      />
      {recording ? (
        <RecordMovementModal
          item={recording}
          onClose={() => {
            setRecording(null);
          }}
        />
      ) : null}
      {history ? (
        <MovementsModal
          item={history}
          onClose={() => {
            setHistory(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

function WarningBadges({ item }: { item: Item }) {
  return (
    <Group gap={4}>
      {item.warnings.map((warning) => (
        <Badge
          key={warning.code}
          size="sm"
          color={WARNING_COLOURS[warning.code] ?? 'gray'}
          title={warning.message}
        >
          {WARNING_LABELS[warning.code] ?? warning.code}
        </Badge>
      ))}
    </Group>
  );
}

type Kind = RouterInputs['inventory']['record']['kind'];

const KINDS: { value: Kind; label: string }[] = [
  { value: 'dispensed', label: 'Dispensed' },
  { value: 'received', label: 'Received' },
  { value: 'expired', label: 'Expired' },
  { value: 'adjusted', label: 'Adjusted (count)' },
];

const KIND_WORDS: Record<string, string> = {
  received: 'received',
  dispensed: 'dispensed',
  expired: 'expired',
  adjusted: 'adjusted',
};

function RecordMovementModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('dispensed');
  const [quantity, setQuantity] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ quantity?: string; reason?: string }>({});
  const record = useMutation(
    trpc.inventory.record.mutationOptions({
      onSuccess: async (result) => {
        notifySaved(
          `${result.item.name}: now ${String(result.item.quantity)} ${result.item.unit}.`,
        );
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.inventory.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.inventory.movements.queryKey() });
      },
      onError: notifyFailure,
    }),
  );
  const signed = kind === 'adjusted';
  return (
    <Modal
      opened
      onClose={onClose}
      title={`${item.name} (${String(item.quantity)} ${item.unit} in stock)`}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const next = {
            ...(typeof quantity !== 'number' || quantity === 0 || (!signed && quantity < 0)
              ? {
                  quantity: signed
                    ? 'Enter a change other than zero (negative to take out)'
                    : 'Enter how many',
                }
              : {}),
            ...(reason.trim() === '' ? { reason: 'Required' } : {}),
          };
          setErrors(next);
          if (typeof quantity === 'number' && Object.keys(next).length === 0)
            record.mutate({ itemId: item.id, kind, quantity, reason });
        }}
      >
        <Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="movement-kind-label">
              What happened
            </Text>
            <SegmentedControl
              aria-labelledby="movement-kind-label"
              value={kind}
              onChange={(value) => {
                setKind(value);
              }}
              data={KINDS}
            />
          </Stack>
          <NumberInput
            label={signed ? 'Change' : 'How many'}
            description={
              signed ? 'After a count: positive to add, negative to take out' : `In ${item.unit}s`
            }
            allowDecimal={false}
            allowNegative={signed}
            data-autofocus
            value={quantity}
            onChange={setQuantity}
            error={errors.quantity}
          />
          <TextInput
            label="Reason"
            withAsterisk
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
            error={errors.reason}
          />
          <FormActions onCancel={onClose} loading={record.isPending} submitLabel="Save" />
        </Stack>
      </form>
    </Modal>
  );
}

function MovementsModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const trpc = useTRPC();
  const movements = useQuery(trpc.inventory.movements.queryOptions({ itemId: item.id }));
  return (
    <Modal opened onClose={onClose} size="xl" title={`Movements of ${item.name}`}>
      {movements.error ? <Text c="red.9">{describeFailure(movements.error)}</Text> : null}
      <DataTable
        data-testid="movements-table"
        caption={`Latest stock movements of ${item.name}, newest first; ${String(item.quantity)} ${item.unit} in stock`}
        showCaption
        columns={[
          {
            key: 'when',
            header: 'When',
            cell: (movement) => formatDateTime(movement.recordedAt),
          },
          {
            key: 'kind',
            header: 'What',
            cell: (movement) => KIND_WORDS[movement.kind] ?? movement.kind,
          },
          {
            key: 'quantity',
            header: 'Change',
            cell: (movement) =>
              `${movement.quantity > 0 ? '+' : ''}${String(movement.quantity)} ${item.unit}`,
          },
          { key: 'reason', header: 'Reason', cell: (movement) => movement.reason },
          {
            key: 'who',
            header: 'Recorded by',
            cell: (movement) => movement.recordedBy ?? 'brought forward',
          },
        ]}
        rows={movements.data ?? []}
        rowKey={(movement) => movement.id}
        empty={movements.data ? 'No movements recorded for this item yet.' : null}
      />
    </Modal>
  );
}
