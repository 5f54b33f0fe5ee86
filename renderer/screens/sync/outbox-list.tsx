/** What waits on this workstation to be sent, oldest first: what, whose, who, when, how long. */
import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { useTRPC } from '../../trpc/client';

export function OutboxList() {
  const trpc = useTRPC();
  const outbox = useQuery({ ...trpc.sync.outbox.queryOptions(), refetchInterval: 2_000 });
  const data = outbox.data;
  return (
    <section aria-labelledby="outbox-title">
      <Text fw={700} component="h3" size="lg" id="outbox-title" mb="xs">
        Waiting to be sent ({data?.total ?? 0})
      </Text>
      <DataTable
        striped
        data-testid="outbox-list"
        caption="Changes saved on this workstation and not yet on the server, oldest first"
        columns={[
          { key: 'what', header: 'What', cell: (item) => item.what, td: { fw: 600 } },
          { key: 'patient', header: 'Patient', cell: (item) => item.patient ?? '–' },
          { key: 'place', header: 'Where', cell: (item) => item.place ?? '–' },
          { key: 'by', header: 'By', cell: (item) => item.by ?? '–' },
          { key: 'made', header: 'Made', cell: (item) => formatDateTime(item.madeAt) },
          { key: 'waited', header: 'Waiting', cell: (item) => item.waited },
        ]}
        rows={data?.items ?? []}
        rowKey={(item) => item.mutationId}
        empty={data ? 'Nothing is waiting: everything made here is on the server.' : null}
      />
      {data && data.total > data.items.length ? (
        <Text size="sm" c="dimmed" mt={4}>
          The oldest {data.items.length} of {data.total} are listed.
        </Text>
      ) : null}
    </section>
  );
}
