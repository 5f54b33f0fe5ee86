/** Stock with low-stock and expiry warnings first; adjust a quantity with a reason. */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { formatDate } from '../../components/format';
import { notifyFailure, notifySaved } from '../../components/notify';
import { useCan } from '../../session/use-session';
import { describeFailure, useTRPC } from '../../trpc/client';
import type { RouterOutputs } from '../../trpc/types';
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
  const list = useQuery(trpc.inventory.list.queryOptions());
  const canAdjust = useCan('inventory:adjust');
  const [adjusting, setAdjusting] = useState<Item | null>(null);
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
          canAdjust && {
            key: 'actions',
            header: 'Actions',
            cell: (item) => (
              <Button
                size="compact-sm"
                variant="light"
                aria-label={`Adjust ${item.name}`}
                onClick={() => {
                  setAdjusting(item);
                }}
              >
                Adjust…
              </Button>
            ),
          },
        ]}
        rows={items}
        rowKey={(item) => item.id}
        empty={list.data ? 'No stock items are recorded for this hospital.' : null}
      />
      {adjusting ? (
        <AdjustModal
          item={adjusting}
          onClose={() => {
            setAdjusting(null);
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

function AdjustModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [delta, setDelta] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ delta?: string; reason?: string }>({});
  const adjust = useMutation(
    trpc.inventory.adjust.mutationOptions({
      onSuccess: async (result) => {
        notifySaved(
          `${result.item.name}: now ${String(result.item.quantity)} ${result.item.unit}.`,
        );
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.inventory.list.queryKey() });
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Modal
      opened
      onClose={onClose}
      title={`Adjust ${item.name} (${String(item.quantity)} ${item.unit} in stock)`}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const next = {
            ...(typeof delta !== 'number' || delta === 0
              ? { delta: 'Enter a change other than zero (negative to take out)' }
              : {}),
            ...(reason.trim() === '' ? { reason: 'Required' } : {}),
          };
          setErrors(next);
          if (typeof delta === 'number' && Object.keys(next).length === 0)
            adjust.mutate({ itemId: item.id, delta, reason });
        }}
      >
        <Stack>
          <NumberInput
            label="Change"
            description="Positive to add, negative to take out"
            allowDecimal={false}
            data-autofocus
            value={delta}
            onChange={setDelta}
            error={errors.delta}
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
          <FormActions onCancel={onClose} loading={adjust.isPending} submitLabel="Save" />
        </Stack>
      </form>
    </Modal>
  );
}
