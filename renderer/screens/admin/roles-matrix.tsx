/** Roles × permissions, read-only: what each role may do, with the catalog's descriptions. */
import { Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ROLE_LABELS } from '../../../shared/roles';
import { describeFailure, useTRPC } from '../../trpc/client';

export function RolesMatrix() {
  const trpc = useTRPC();
  const answer = useQuery(trpc.staff.roles.queryOptions());
  if (answer.error) return <Text c="red.8">{describeFailure(answer.error)}</Text>;
  if (!answer.data) return null;
  const { roles, permissions } = answer.data;
  const held = new Map(roles.map((role) => [role.role, new Set(role.permissions)]));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped withColumnBorders stickyHeader data-testid="roles-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Permission</Table.Th>
            {roles.map((role) => (
              <Table.Th key={role.role} title={role.description}>
                {ROLE_LABELS[role.role]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {permissions.map((permission) => (
            <Table.Tr key={permission.key}>
              <Table.Th scope="row" fw={400}>
                <Text size="sm" fw={600}>
                  {permission.key}
                </Text>
                <Text size="xs" c="dimmed">
                  {permission.description}
                </Text>
              </Table.Th>
              {roles.map((role) => (
                <Table.Td key={role.role} ta="center">
                  {held.get(role.role)?.has(permission.key) ? (
                    <>
                      <span aria-hidden>✓</span>
                      <VisuallyHidden>Yes</VisuallyHidden>
                    </>
                  ) : (
                    <>
                      <span aria-hidden>–</span>
                      <VisuallyHidden>No</VisuallyHidden>
                    </>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
