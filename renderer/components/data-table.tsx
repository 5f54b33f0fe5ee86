/**
 * The table of the list screens (staff, stock, lab queue, pharmacy, appointments, search
 * results, the chart's orders and MAR, sync items): columns declared once, a caption that names
 * the table for screen readers, column headers with their scope, and an empty state that is a
 * sentence inside the table. Rows that open something (`onRowOpen`) are reachable by keyboard:
 * Tab to a row, arrow keys / Home / End between rows, Enter or Space opens it.
 */
import { Table, Text, type TableProps, type TableTdProps, type TableTrProps } from '@mantine/core';
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';

type DataAttributes = Partial<Record<`data-${string}`, string>>;
type CellProps = TableTdProps & DataAttributes;

export interface DataColumn<Row> {
  /** Unique within the table (the React key of its cells). */
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Props of each body cell: weight, wrapping, a test id. */
  td?: CellProps | ((row: Row) => CellProps);
}

/** `canManage && { … }`: a column only some people see. */
export type MaybeColumn<Row> = DataColumn<Row> | false | null | undefined;

export interface DataTableProps<Row> extends Omit<TableProps, 'children' | 'data' | 'caption'> {
  /** What the table lists, e.g. "Staff of the hospital": its accessible name. */
  caption: string;
  /** Shown above the table; by default read to screen readers only (the screen has a title). */
  showCaption?: boolean;
  columns: readonly MaybeColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The sentence when there are no rows; leave it null while the rows are still loading. */
  empty?: ReactNode;
  rowProps?: (row: Row) => TableTrProps & DataAttributes;
  /** Opening a row (click, Enter, Space); `canOpen` limits it to some rows. */
  onRowOpen?: ((row: Row) => void) | null;
  canOpen?: (row: Row) => boolean;
}

const INTERACTIVE = 'button, a, input, select, textarea, [role="button"], [role="checkbox"]';

/** Arrow keys, Home and End move between the table's openable rows. */
function moveFocus(event: KeyboardEvent<HTMLTableRowElement>): boolean {
  const rows = [
    ...(event.currentTarget.parentElement?.querySelectorAll<HTMLTableRowElement>(
      'tr[data-openable]',
    ) ?? []),
  ];
  const at = rows.indexOf(event.currentTarget);
  const next = {
    ArrowDown: rows[at + 1],
    ArrowUp: rows[at - 1],
    Home: rows[0],
    End: rows.at(-1),
  }[event.key];
  if (!next) return false;
  next.focus();
  return true;
}

export function DataTable<Row>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
  rowProps,
  onRowOpen,
  canOpen,
  ...tableProps
}: DataTableProps<Row>) {
  const shown = columns.filter((column): column is DataColumn<Row> => Boolean(column));
  const opens = (row: Row) => Boolean(onRowOpen) && (canOpen?.(row) ?? true);

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: Row) => {
    // Keys typed into a button or field inside the row are theirs.
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') onRowOpen?.(row);
    else if (!moveFocus(event)) return;
    event.preventDefault();
  };
  const onClick = (event: MouseEvent<HTMLTableRowElement>, row: Row) => {
    if (event.target instanceof Element && event.target.closest(INTERACTIVE)) return;
    onRowOpen?.(row);
  };

  return (
    <Table {...tableProps}>
      <Table.Caption className={showCaption ? undefined : 'visually-hidden'}>
        {caption}
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          {shown.map((column) => (
            <Table.Th key={column.key} scope="col">
              {column.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const openable = opens(row);
          return (
            <Table.Tr
              key={rowKey(row)}
              {...rowProps?.(row)}
              {...(openable
                ? {
                    tabIndex: 0,
                    'data-openable': 'true',
                    onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => {
                      onKeyDown(event, row);
                    },
                    onClick: (event: MouseEvent<HTMLTableRowElement>) => {
                      onClick(event, row);
                    },
                  }
                : {})}
            >
              {shown.map((column) => (
                <Table.Td
                  key={column.key}
                  {...(typeof column.td === 'function' ? column.td(row) : column.td)}
                >
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          );
        })}
        {rows.length === 0 && empty ? (
          <Table.Tr>
            <Table.Td colSpan={shown.length}>
              <Text c="dimmed" size="sm" role="status">
                {empty}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null}
      </Table.Tbody>
    </Table>
  );
}
