/**
 * Admin: the hospital's staff (search, filter by role, open one to manage), and the roles
 * with their permissions. Only `users:manage` sees edit controls; a manager reads the table.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles';
import { awaitsAdminUnlock } from '../../../shared/sign-in-lock';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { useActiveUser, useCan } from '../../session/use-session';
import { describeFailure, useTRPC } from '../../trpc/client';
import { OrganisationPanel } from './organisation-panel';
import { RolesMatrix } from './roles-matrix';
import { StaffDrawer } from './staff-drawer';
import type { StaffMember } from './types';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

function matches(member: StaffMember, search: string, role: Role | null): boolean {
  if (role && member.role !== role) return false;
  const needle = search.trim().toLowerCase();
  return (
    needle === '' ||
    member.fullName.toLowerCase().includes(needle) ||
    (member.email?.includes(needle) ?? false)
  );
}

export function AdminScreen() {
  const seesOrganisation = useCan('hospitals:read');
  return (
    <Stack gap="sm">
      <Title order={2}>Admin</Title>
      <Tabs defaultValue="staff" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="staff">Staff</Tabs.Tab>
          <Tabs.Tab value="roles">Roles</Tabs.Tab>
          {seesOrganisation ? <Tabs.Tab value="organisation">Wards and beds</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="staff" pt="sm">
          <StaffPanel />
        </Tabs.Panel>
        <Tabs.Panel value="roles" pt="sm">
          <RolesMatrix />
        </Tabs.Panel>
        {seesOrganisation ? (
          <Tabs.Panel value="organisation" pt="sm">
            <OrganisationPanel />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}

function StaffPanel() {
  const trpc = useTRPC();
  const me = useActiveUser();
  const list = useQuery(trpc.staff.list.queryOptions());
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const canManage = list.data?.canManage ?? false;
  const staff = (list.data?.staff ?? []).filter((member) => matches(member, search, role));
  const open = list.data?.staff.find((member) => member.id === openId) ?? null;

  return (
    <Stack gap="sm">
      {list.error ? <Text c="red.8">{describeFailure(list.error)}</Text> : null}
      <Alert color="blue" variant="light">
        New accounts are created by IT on the server: <Code>npm run server -- create-user</Code>,
        which asks for the first password there, so no password ever travels through sync.
      </Alert>
      <Group align="flex-end">
        <TextInput
          label="Search staff"
          placeholder="Name or email"
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
          }}
        />
        <Select
          label="Role"
          placeholder="All roles"
          clearable
          data={ROLE_OPTIONS}
          value={role}
          onChange={(value) => {
            setRole(ROLES.find((candidate) => candidate === value) ?? null);
          }}
        />
      </Group>
      <DataTable
        striped
        highlightOnHover
        data-testid="staff-table"
        caption="Staff of the hospital"
        columns={[
          { key: 'name', header: 'Name', cell: (member) => member.fullName, td: { fw: 600 } },
          { key: 'email', header: 'Email', cell: (member) => member.email ?? '—' },
          { key: 'role', header: 'Role', cell: (member) => ROLE_LABELS[member.role] },
          { key: 'status', header: 'Status', cell: (member) => <StatusBadges member={member} /> },
          {
            key: 'failed',
            header: 'Failed sign-ins',
            cell: (member) => member.failedLoginCount,
          },
          {
            key: 'last-sign-in',
            header: 'Last sign-in',
            cell: (member) => (member.lastLoginAt ? formatDateTime(member.lastLoginAt) : '–'),
          },
          {
            key: 'grants',
            header: 'Direct grants',
            cell: (member) =>
              member.grants.length === 0
                ? '–'
                : member.grants.map((grant) => grant.permission).join(', '),
          },
          canManage && {
            key: 'actions',
            header: 'Actions',
            cell: (member) => (
              <ManageCell
                member={member}
                isMe={member.id === me.id}
                onOpen={() => {
                  setOpenId(member.id);
                }}
              />
            ),
          },
        ]}
        rows={staff}
        rowKey={(member) => member.id}
        empty={list.data ? 'No staff match.' : null}
        // A manageable person's row opens their drawer, as their Manage… button does.
        onRowOpen={
          canManage
            ? (member) => {
                setOpenId(member.id);
              }
            : null
        }
        canOpen={(member) => isManageable(member, me.id)}
      />
      {open && list.data ? (
        <StaffDrawer
          member={open}
          list={list.data}
          onClose={() => {
            setOpenId(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

function lockedTitle(lockedUntil: string): string {
  return awaitsAdminUnlock(lockedUntil)
    ? 'Locked until an administrator unlocks it'
    : `Locked until ${formatDateTime(lockedUntil)}`;
}

function StatusBadges({ member }: { member: StaffMember }) {
  return (
    <Group gap={4}>
      {member.active ? (
        <Badge color="green" variant="light">
          Active
        </Badge>
      ) : (
        <Badge color="gray">Inactive</Badge>
      )}
      {member.lockedUntil ? (
        <Badge color="red" title={lockedTitle(member.lockedUntil)}>
          Locked
        </Badge>
      ) : null}
    </Group>
  );
}

/** Not oneself, and not an account only the server manages. */
function isManageable(member: StaffMember, myId: string): boolean {
  return member.id !== myId && !member.managedCentrally;
}

function ManageCell({
  member,
  isMe,
  onOpen,
}: {
  member: StaffMember;
  isMe: boolean;
  onOpen: () => void;
}) {
  if (isMe)
    return (
      <Text size="sm" c="dimmed">
        You
      </Text>
    );
  if (member.managedCentrally)
    return (
      <Text size="sm" c="dimmed">
        Managed on the server
      </Text>
    );
  return (
    <Button
      size="compact-sm"
      variant="light"
      onClick={onOpen}
      aria-label={`Manage ${member.fullName}`}
    >
      Manage…
    </Button>
  );
}
