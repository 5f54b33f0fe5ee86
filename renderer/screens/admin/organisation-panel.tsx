/**
 * Admin → Wards and beds: this hospital (name, bed capacity), its wards and their beds, a bed's
 * status (available, maintenance, reserved), and a CSV import of wards and beds that is taken
 * whole or not at all, its problems listed by line. Each change is a write of this workstation,
 * synced like any other; new regions and hospitals are IT's, on the server.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { notifySaved } from '../../components/notify';
import { describeFailure, useTRPC } from '../../trpc/client';

const STATUS_OPTIONS = [
  { value: 'available', label: 'Available' },
  { value: 'maintenance', label: 'Maintenance' },
  { value: 'reserved', label: 'Reserved' },
];

const STATUS_COLOURS: Record<string, string> = {
  available: 'green',
  occupied: 'blue',
  maintenance: 'orange',
  reserved: 'grape',
};

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.organisation.view.queryKey() });
}

export function OrganisationPanel() {
  const trpc = useTRPC();
  const view = useQuery(trpc.organisation.view.queryOptions());
  const data = view.data;
  if (view.error) return <Text c="red.8">{describeFailure(view.error)}</Text>;
  if (!data) return null;
  return (
    <Stack gap="md">
      <Alert color="blue" variant="light">
        New regions and hospitals are set up by IT on the server (<Code>npm run server -- org</Code>
        ). Wards and beds changed here reach the server and the hospital&apos;s other workstations
        with the next sync.
      </Alert>
      <HospitalCard hospital={data.hospital} bedCount={data.bedCount} canManage={data.canManage} />
      {data.canManage ? <CsvImport /> : null}
      {data.canManage ? <AddWardForm /> : null}
      <Title order={3}>Wards</Title>
      {data.wards.length === 0 ? <Text c="dimmed">This hospital has no wards yet.</Text> : null}
      {data.wards.map((ward) => (
        <WardCard
          key={ward.id}
          ward={ward}
          canManage={data.canManage}
          canSetBedStatus={data.canSetBedStatus}
        />
      ))}
    </Stack>
  );
}

function HospitalCard({
  hospital,
  bedCount,
  canManage,
}: {
  hospital: {
    code: string;
    name: string;
    bedCapacity: number;
    region: string | null;
    wardAssignment: boolean;
  };
  bedCount: number;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [name, setName] = useState(hospital.name);
  const [capacity, setCapacity] = useState<number | string>(hospital.bedCapacity);
  const save = useMutation(
    trpc.organisation.editHospital.mutationOptions({
      onSuccess: async () => {
        notifySaved('Hospital saved');
        await refresh();
      },
    }),
  );
  const wardAssignment = useMutation(
    trpc.staff.setWardAssignment.mutationOptions({
      onSuccess: async () => {
        notifySaved('Ward assignment saved');
        await refresh();
      },
    }),
  );
  return (
    <Paper withBorder p="md" data-testid="hospital-card">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={3}>{hospital.name}</Title>
          <Badge variant="light">{hospital.code}</Badge>
        </Group>
        <Text size="sm">
          Region: {hospital.region ?? '–'}. {bedCount} beds set up, capacity {hospital.bedCapacity}.
        </Text>
        {canManage ? (
          <Group align="flex-end">
            <TextInput
              label="Hospital name"
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
            />
            <NumberInput label="Bed capacity" min={0} value={capacity} onChange={setCapacity} />
            <Button
              variant="default"
              loading={save.isPending}
              onClick={() => {
                save.mutate({ name, bedCapacity: Number(capacity) });
              }}
            >
              Save hospital
            </Button>
          </Group>
        ) : null}
        {save.error ? <Text c="red.8">{describeFailure(save.error)}</Text> : null}
        {canManage ? (
          <Switch
            label="Ward assignment: staff open charts of their own wards only (others by break-glass)"
            checked={hospital.wardAssignment}
            disabled={wardAssignment.isPending}
            onChange={(event) => {
              wardAssignment.mutate({ enabled: event.currentTarget.checked });
            }}
          />
        ) : null}
        {wardAssignment.error ? (
          <Text c="red.8">{describeFailure(wardAssignment.error)}</Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function CsvImport() {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const importCsv = useMutation(
    trpc.organisation.importCsv.mutationOptions({
      onSuccess: async (outcome) => {
        if (outcome.ok) await refresh();
      },
    }),
  );
  const outcome = importCsv.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>Import wards and beds from a CSV file</Title>
        <Text size="sm">
          First line <Code>ward_code,ward_name,floor,bed_number,bed_status</Code>, then one line per
          bed (a line with no bed number adds a ward without beds). The file is imported whole or
          not at all.
        </Text>
        <Group align="flex-end">
          <label>
            <Text size="sm" fw={500}>
              CSV file
            </Text>
            <input
              type="file"
              accept=".csv,text/csv"
              data-testid="csv-file"
              onChange={(event) => {
                setFile(event.currentTarget.files?.[0] ?? null);
                importCsv.reset();
              }}
            />
          </label>
          <Button
            disabled={file === null}
            loading={importCsv.isPending}
            onClick={() => {
              if (!file) return;
              void file.text().then((csv) => {
                importCsv.mutate({ csv });
              });
            }}
          >
            Import
          </Button>
        </Group>
        {importCsv.error ? (
          <Alert color="red" title="Not imported" role="alert">
            {describeFailure(importCsv.error)}
          </Alert>
        ) : null}
        {outcome?.ok === true ? (
          <Alert color="green" role="status" data-testid="import-done">
            Imported {outcome.wards.length} new wards and {outcome.beds} beds.
          </Alert>
        ) : null}
        {outcome?.ok === false ? (
          <Alert color="red" title="Nothing was imported" role="alert">
            <List size="sm" data-testid="import-problems">
              {outcome.problems.map((problem) => (
                <List.Item key={`${String(problem.line)}:${problem.message}`}>
                  {problem.line > 0 ? `Line ${String(problem.line)}: ` : ''}
                  {problem.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function AddWardForm() {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [floor, setFloor] = useState<number | string>(0);
  const add = useMutation(
    trpc.organisation.addWard.mutationOptions({
      onSuccess: async () => {
        notifySaved('Ward added');
        setCode('');
        setName('');
        await refresh();
      },
    }),
  );
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate({ code, name, floor: Number(floor) });
        }}
      >
        <Stack gap="xs">
          <Title order={4}>Add a ward</Title>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <TextInput
              label="Ward code"
              value={code}
              onChange={(event) => {
                setCode(event.currentTarget.value);
              }}
            />
            <TextInput
              label="Ward name"
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
            />
            <NumberInput label="Floor" value={floor} onChange={setFloor} />
            <Button type="submit" mt="lg" loading={add.isPending}>
              Add ward
            </Button>
          </SimpleGrid>
          {add.error ? <Text c="red.8">{describeFailure(add.error)}</Text> : null}
        </Stack>
      </form>
    </Paper>
  );
}

interface WardView {
  id: string;
  code: string;
  name: string;
  floor: number;
  beds: { id: string; number: string; floor: number; status: string }[];
}

function WardCard({
  ward,
  canManage,
  canSetBedStatus,
}: {
  ward: WardView;
  canManage: boolean;
  canSetBedStatus: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [number, setNumber] = useState('');
  const addBed = useMutation(
    trpc.organisation.addBed.mutationOptions({
      onSuccess: async () => {
        setNumber('');
        await refresh();
      },
    }),
  );
  const setStatus = useMutation(
    trpc.organisation.setBedStatus.mutationOptions({ onSuccess: () => refresh() }),
  );
  return (
    <Paper withBorder p="md" data-testid="ward-card" data-ward-code={ward.code}>
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={4}>{ward.name}</Title>
          <Badge variant="light">{ward.code}</Badge>
          <Text size="sm" c="dimmed">
            floor {ward.floor}, {ward.beds.length} beds
          </Text>
        </Group>
        {ward.beds.length > 0 ? (
          <Table>
            <Table.Caption>Beds of {ward.name}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Bed</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ward.beds.map((bed) => (
                <Table.Tr key={bed.id} data-bed-number={bed.number}>
                  <Table.Td>{bed.number}</Table.Td>
                  <Table.Td>
                    {canSetBedStatus && bed.status !== 'occupied' ? (
                      <Select
                        aria-label={`Status of bed ${bed.number}`}
                        data={STATUS_OPTIONS}
                        value={bed.status}
                        allowDeselect={false}
                        onChange={(status) => {
                          if (
                            status === 'available' ||
                            status === 'maintenance' ||
                            status === 'reserved'
                          )
                            setStatus.mutate({ bedId: bed.id, status });
                        }}
                      />
                    ) : (
                      <Badge color={STATUS_COLOURS[bed.status] ?? 'gray'} variant="light">
                        {bed.status}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        {setStatus.error ? <Text c="red.8">{describeFailure(setStatus.error)}</Text> : null}
        {canManage ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              addBed.mutate({ wardId: ward.id, number });
            }}
          >
            <Group align="flex-end">
              <TextInput
                label={`New bed number on ${ward.name}`}
                value={number}
                onChange={(event) => {
                  setNumber(event.currentTarget.value);
                }}
              />
              <Button type="submit" variant="default" loading={addBed.isPending}>
                Add bed
              </Button>
            </Group>
            {addBed.error ? <Text c="red.8">{describeFailure(addBed.error)}</Text> : null}
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}
