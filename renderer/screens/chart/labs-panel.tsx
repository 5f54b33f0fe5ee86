/** Lab orders of the stay with their results; order a test. */
import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { LAB_URGENCIES, LabTestFieldsSchema } from '../../../shared/schemas/lab-tests';
import { formatDateTime } from '../../components/format';
import { LAB_STATUS_COLOURS } from '../../components/lab-status';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';

const OrderSchema = LabTestFieldsSchema.pick({ testCode: true, testName: true, urgency: true });

export function LabsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canOrder = useCan('lab_tests:order') && visit.status === 'admitted';
  return (
    <Stack gap="sm">
      {canOrder ? <OrderForm visitId={visit.id} /> : null}
      <Table striped data-testid="labs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Test</Table.Th>
            <Table.Th>Urgency</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Ordered</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chart.labTests.map((test) => (
            <Table.Tr key={test.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {test.testName}
                </Text>
                <Text size="xs" c="dimmed">
                  {test.testCode}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" color={test.urgency === 'routine' ? 'gray' : 'red'}>
                  {test.urgency}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" color={LAB_STATUS_COLOURS[test.status] ?? 'gray'}>
                  {test.status.replace('_', ' ')}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDateTime(test.orderedAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                {test.result ?? test.cancellationReason ?? '–'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {chart.labTests.length === 0 ? (
        <Text c="dimmed">No lab tests ordered in this stay.</Text>
      ) : null}
    </Stack>
  );
}

function OrderForm({ visitId }: { visitId: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshChart();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      testCode: '',
      testName: '',
      urgency: 'routine' as (typeof LAB_URGENCIES)[number],
    },
    validate: zodValidate(OrderSchema),
    transformValues: (values) => ({ ...values, testCode: values.testCode.trim().toUpperCase() }),
  });
  const order = useMutation(
    trpc.labTests.order.mutationOptions({
      onSuccess: async (_, input) => {
        notifySaved(`${input.testName} ordered.`);
        form.reset();
        await refresh();
      },
      onError: notifyFailure,
    }),
  );
  return (
    <Paper withBorder p="sm">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          order.mutate({ ...values, visitId });
        })}
      >
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Test code"
            placeholder="CBC"
            w={120}
            {...form.getInputProps('testCode')}
          />
          <TextInput
            label="Test"
            placeholder="Full blood count"
            w={280}
            {...form.getInputProps('testName')}
          />
          <Select
            label="Urgency"
            w={130}
            data={[...LAB_URGENCIES]}
            allowDeselect={false}
            {...form.getInputProps('urgency')}
          />
          <Button type="submit" mt={25} loading={order.isPending}>
            Order test
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
