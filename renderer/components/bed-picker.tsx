/** Choose a ward and one of its free beds (available and nobody in it), for admission and transfer. */
import { Chip, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';

export interface BedChoice {
  wardId: string | null;
  bedId: string | null;
}

export function BedPicker({
  value,
  onChange,
  error,
}: {
  value: BedChoice;
  onChange: (choice: BedChoice) => void;
  error?: string | undefined;
}) {
  const trpc = useTRPC();
  const wards = useQuery(trpc.wards.list.queryOptions());
  const board = useQuery({
    ...trpc.wardBoard.get.queryOptions({ wardId: value.wardId ?? '' }),
    enabled: value.wardId !== null,
  });
  const free = (board.data?.beds ?? []).filter(
    (bed) => bed.status === 'available' && bed.occupant === null,
  );
  return (
    <Stack gap="xs">
      <Select
        label="Ward"
        withAsterisk
        data={(wards.data ?? []).map((ward) => ({
          value: ward.id,
          label: `${ward.name} (${String(ward.bedCount - ward.occupiedCount)} free)`,
        }))}
        value={value.wardId}
        onChange={(wardId) => {
          onChange({ wardId, bedId: null });
        }}
        error={value.wardId === null ? error : undefined}
      />
      {value.wardId ? (
        <div role="group" aria-label="Free beds">
          <Text size="sm" fw={500} mb={4}>
            Free bed
          </Text>
          {board.isPending ? <Loader size="sm" aria-label="Loading beds" /> : null}
          {board.data && free.length === 0 ? (
            <Text c="orange.9">No free bed on this ward.</Text>
          ) : null}
          <Chip.Group
            multiple={false}
            value={value.bedId}
            onChange={(bedId) => {
              onChange({ wardId: value.wardId, bedId });
            }}
          >
            <Group gap={6}>
              {free.map((bed) => (
                <Chip key={bed.id} value={bed.id} size="sm">
                  {bed.number}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {value.bedId === null && error ? (
            <Text c="red.8" size="xs" mt={4}>
              {error}
            </Text>
          ) : null}
        </div>
      ) : null}
    </Stack>
  );
}
