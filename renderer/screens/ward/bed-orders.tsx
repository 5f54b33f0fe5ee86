/**
 * What a bed owes the nurse now: doses due (overdue ones in red AND named "overdue") and tests
 * waiting on the lab (urgent ones named). Text first; colour only repeats it.
 */
import { Badge, Group, Text } from '@mantine/core';
import dayjs from 'dayjs';
import type { RouterOutputs } from '../../trpc/types';

type Occupant = NonNullable<RouterOutputs['wardBoard']['get']['beds'][number]['occupant']>;

const plural = (n: number, one: string, many: string) => `${String(n)} ${n === 1 ? one : many}`;

/** "2 meds due, 1 overdue" or null: also the words a screen reader hears for the bed. */
export function describeMedsDue(meds: Occupant['medsDue']): string | null {
  if (meds.count === 0) return null;
  return `${plural(meds.count, 'med due', 'meds due')}${meds.overdue > 0 ? `, ${String(meds.overdue)} overdue` : ''}`;
}

export function describePendingLabs(labs: Occupant['pendingLabs']): string | null {
  if (labs.count === 0) return null;
  return `${plural(labs.count, 'lab pending', 'labs pending')}${labs.urgent > 0 ? `, ${String(labs.urgent)} urgent` : ''}`;
}

export function BedOrders({ occupant }: { occupant: Occupant }) {
  const { medsDue: meds, pendingLabs: labs } = occupant;
  const medsText = describeMedsDue(meds);
  const labsText = describePendingLabs(labs);
  const next = meds.next[0];
  return (
    <>
      {medsText || labsText || meds.unscheduled > 0 ? (
        <Group gap={4} wrap="wrap">
          {medsText ? (
            <Badge
              size="md"
              radius="sm"
              variant={meds.overdue > 0 ? 'filled' : 'light'}
              color={meds.overdue > 0 ? 'red' : 'indigo'}
              data-testid="meds-due"
              data-count={meds.count}
              data-overdue={meds.overdue}
              tt="none"
            >
              {meds.overdue > 0 ? '⚠ ' : ''}
              {medsText}
            </Badge>
          ) : null}
          {labsText ? (
            <Badge
              size="md"
              radius="sm"
              variant="light"
              color={labs.urgent > 0 ? 'orange' : 'gray'}
              data-testid="labs-pending"
              data-count={labs.count}
              tt="none"
              title={
                labs.oldestOrderedAt
                  ? `Oldest ordered ${dayjs(labs.oldestOrderedAt).format('D MMM HH:mm')}`
                  : undefined
              }
            >
              {labsText}
            </Badge>
          ) : null}
          {meds.unscheduled > 0 ? (
            <Badge
              size="md"
              radius="sm"
              variant="filled"
              color="yellow.3"
              tt="none"
              data-testid="meds-unscheduled"
            >
              {plural(meds.unscheduled, 'med', 'meds')}: check frequency
            </Badge>
          ) : null}
        </Group>
      ) : null}
      {next ? (
        <Text size="xs" lineClamp={1}>
          Next: {next.drug} {next.dose} {dayjs(next.scheduledFor).format('HH:mm')}
        </Text>
      ) : null}
    </>
  );
}
