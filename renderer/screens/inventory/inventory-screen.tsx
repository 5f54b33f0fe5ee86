/** Stock with low-stock and expiry warnings first; adjust a quantity with a reason. */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
      <Table striped data-testid="inventory-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>In stock</Table.Th>
            <Table.Th>Reorder at</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Warnings</Table.Th>
            {canAdjust ? <Table.Th>Actions</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td fw={600}>{item.name}</Table.Td>
              <Table.Td>{item.itemType}</Table.Td>
              <Table.Td>
                {item.quantity} {item.unit}
              </Table.Td>
              <Table.Td>{item.threshold}</Table.Td>
              <Table.Td>{item.expiresOn ? formatDate(item.expiresOn) : '–'}</Table.Td>
              <Table.Td>{item.location ?? '–'}</Table.Td>
              <Table.Td>
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
              </Table.Td>
              {canAdjust ? (
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => {
                      setAdjusting(item);
                    }}
                  >
                    Adjust…
                  </Button>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
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
