/** The ward board: every bed of one ward at a glance, abnormal observations marked. */
import { Alert, Group, Loader, Select, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PrintButton } from '../../components/print-button';
import { useCan } from '../../session/use-session';
import { useNavStore } from '../../stores/nav-store';
import { describeFailure, useTRPC, useTRPCClient } from '../../trpc/client';
import { BedCard } from './bed-card';

export function WardBoardScreen() {
  const trpc = useTRPC();
  const wards = useQuery(trpc.wards.list.queryOptions());
  const chosen = useNavStore((state) => state.wardId);
  const chooseWard = useNavStore((state) => state.chooseWard);
  // With ward assignment on, the board opens on one of the person's own wards.
  const wardId = chosen ?? (wards.data?.find((ward) => ward.mine) ?? wards.data?.[0])?.id ?? null;
  const board = useQuery({
    ...trpc.wardBoard.get.queryOptions({ wardId: wardId ?? '' }),
    enabled: wardId !== null,
    refetchInterval: 30_000,
  });
  const canPrintPack = useCan('mar:read');
  const scans = useQuery({
    ...trpc.mar.wristbandScans.queryOptions({ wardId: wardId ?? '' }),
    enabled: wardId !== null && canPrintPack,
    refetchInterval: 60_000,
  });
  const client = useTRPCClient();
  const mine = wards.data?.find((ward) => ward.id === wardId)?.mine !== false;

  return (
    <section aria-labelledby="ward-board-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} id="ward-board-title">
          Ward board{board.data ? `: ${board.data.ward.name}` : ''}
        </Title>
        <Group align="flex-end">
          {canPrintPack && wardId && mine ? (
            <PrintButton
              label="Print downtime pack"
              variant="light"
              size="sm"
              request={(reauthProof) => client.print.downtimePack.mutate({ wardId, reauthProof })}
            />
          ) : null}
          <Select
            label="Ward"
            w={260}
            allowDeselect={false}
            data={(wards.data ?? []).map((ward) => ({
              value: ward.id,
              label: `${ward.name} (${String(ward.occupiedCount)}/${String(ward.bedCount)})${ward.mine ? '' : ': not your ward'}`,
            }))}
            value={wardId}
            onChange={(value) => {
              chooseWard(value);
            }}
          />
        </Group>
      </Group>
      {scans.data && scans.data.charted > 0 ? (
        <Text size="sm" mb="xs" data-testid="wristband-scan-rate">
          Wristband scanned before {scans.data.scanned} of {scans.data.charted} doses charted on
          this ward in the last 24 h ({Math.round((100 * scans.data.scanned) / scans.data.charted)}
          %).
        </Text>
      ) : null}
      {(wards.error ?? board.error) ? (
        <Alert color="red" role="alert">
          {describeFailure(wards.error ?? board.error)}
        </Alert>
      ) : null}
      {board.isPending && wardId ? <Loader aria-label="Loading the ward" /> : null}
      {board.data ? (
        <>
          <SimpleGrid cols={4} spacing="sm" data-testid="ward-grid">
            {board.data.beds.map((bed) => (
              <BedCard key={bed.id} bed={bed} />
            ))}
          </SimpleGrid>
          {board.data.withoutBed.length > 0 ? (
            <Alert color="orange" mt="md" title="Admitted without a bed">
              {board.data.withoutBed
                .map((stay) => `${stay.lastName}, ${stay.firstName} (${stay.mrn})`)
                .join('; ')}
            </Alert>
          ) : null}
          <Text size="xs" c="dimmed" mt="xs">
            Values outside the adult normal range are marked ↑ or ↓ on a red background. Meds due:
            scheduled doses from 2 h ago to 1 h ahead not yet charted; overdue (⚠, red) 30 min after
            their time. Labs pending: ordered and not yet resulted.
          </Text>
        </>
      ) : null}
    </section>
  );
}
