import { describe, expect, test } from 'vitest';
import { ageText, byRisk, isSilent, SILENT_AFTER_MS } from '../../../shared/fleet-risk';

const now = new Date('2026-12-01T12:00:00.000Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const device = (
  id: string,
  fields: {
    lastSeenAt?: string | null;
    oldestPendingAt?: string | null;
    revokedAt?: string | null;
  },
) => ({
  id,
  enrolledAt: ago(100),
  lastSeenAt: null,
  oldestPendingAt: null,
  revokedAt: null,
  ...fields,
});

describe('byRisk', () => {
  test('oldest unsent first, then silent longest (never seen first), revoked last', () => {
    const order = byRisk([
      device('revoked-holding', { oldestPendingAt: ago(50), revokedAt: ago(1) }),
      device('fresh', { lastSeenAt: ago(0.1) }),
      device('holding-2h', { oldestPendingAt: ago(2), lastSeenAt: ago(0.1) }),
      device('never', {}),
      device('silent-30h', { lastSeenAt: ago(30) }),
      device('holding-9h', { oldestPendingAt: ago(9), lastSeenAt: ago(1) }),
    ]).map((item) => item.id);
    expect(order).toEqual([
      'holding-9h',
      'holding-2h',
      'never',
      'silent-30h',
      'fresh',
      'revoked-holding',
    ]);
  });
});

describe('isSilent', () => {
  test('past the threshold since last seen, or since enrollment when never seen; never revoked', () => {
    const justOver = new Date(now.getTime() - SILENT_AFTER_MS - 1).toISOString();
    expect(isSilent(device('a', { lastSeenAt: justOver }), now)).toBe(true);
    expect(isSilent(device('b', { lastSeenAt: ago(23) }), now)).toBe(false);
    expect(isSilent({ ...device('c', {}), enrolledAt: ago(1) }, now)).toBe(false);
    expect(isSilent(device('d', {}), now)).toBe(true);
    expect(isSilent(device('e', { lastSeenAt: ago(48), revokedAt: ago(1) }), now)).toBe(false);
  });

  test('ages read at a glance', () => {
    expect(ageText(ago(0.05), now)).toBe('3 min');
    expect(ageText(ago(30), now)).toBe('30 h');
    expect(ageText(ago(72), now)).toBe('3 d');
  });
});
