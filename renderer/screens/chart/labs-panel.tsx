/** Lab orders of the stay with their results; order a test. */
import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { LAB_URGENCIES, LabTestFieldsSchema } from '../../../shared/schemas/lab-tests';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { LAB_STATUS_COLOURS } from '../../components/lab-status';
import { notifyFailure, notifySaved } from '../../components/notify';
import { zodValidate } from '../../forms/zod-form';
import { useCan } from '../../session/use-session';
import { useTRPC } from '../../trpc/client';
import { useRefreshChart, type Chart, type ChartVisit } from './use-chart';
import { SendStateMark } from '../../components/send-state';

const OrderSchema = LabTestFieldsSchema.pick({ testCode: true, testName: true, urgency: true });

export function LabsPanel({ chart, visit }: { chart: Chart; visit: ChartVisit }) {
  const canOrder = useCan('lab_tests:order') && visit.status === 'admitted';
  return (
    <Stack gap="sm">
      {canOrder ? <OrderForm visitId={visit.id} /> : null}
      <DataTable
        striped
        data-testid="labs-table"
        caption="Lab tests of this stay"
        columns={[
          {
            key: 'test',
            header: 'Test',
            cell: (test) => (
              <>
                <Text size="sm" fw={600}>
                  {test.testName}
                </Text>
                <Text size="xs" c="dimmed">
                  {test.testCode}
                </Text>
              </>
            ),
          },
          {
            key: 'urgency',
            header: 'Urgency',
            cell: (test) => (
              <Badge size="sm" color={test.urgency === 'routine' ? 'gray' : 'red'}>
                {test.urgency}
              </Badge>
            ),
          },
          {
            key: 'status',
            header: 'Status',
            cell: (test) => (
              <>
                <Badge size="sm" color={LAB_STATUS_COLOURS[test.status] ?? 'gray'}>
                  {test.status.replace('_', ' ')}
                </Badge>
                <SendStateMark id={test.id} state={test.sendState} />
              </>
            ),
          },
          { key: 'ordered', header: 'Ordered', cell: (test) => formatDateTime(test.orderedAt) },
          {
            key: 'result',
            header: 'Result',
            cell: (test) => test.result ?? test.cancellationReason ?? '–',
            td: { style: { whiteSpace: 'pre-wrap' } },
          },
        ]}
        rows={chart.labTests}
        rowKey={(test) => test.id}
        empty="No lab tests ordered in this stay."
      />
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
