/**
 * Stock as movements on the real server (issue 13): movements are append-only, the quantity on
 * hand is their sum, two desks dispensing offline add up, and stock going below zero is kept,
 * warned about and raised as a `negative_stock` alert instead of a conflict.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import {
  demoRow,
  enroll,
  mutation,
  NOW,
  pushOne,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

const pharmacistId = demoUserId('pharmacist@hass.example');

let server: TestServer;
let pharmacy: Device;
let wardStore: Device;

beforeAll(async () => {
  server = await startTestServer();
  pharmacy = await enroll(server);
  wardStore = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const query = async (text: string, values: unknown[] = []) =>
  (await server.database.db.$client.query(text, values)).rows as Record<string, unknown>[];

/** The saline of the demo: 8 bags. */
const saline = () => {
  const item = demoRow('inventory', 1);
  if (item.sku !== 'MED-NACL-1L') throw new Error('the demo stock changed shape');
  return item;
};

const onHand = async (itemId: string) =>
  Number(
    (
      await query(
        'select coalesce(sum(quantity), 0)::int as n from inventory_movements where item_id = $1',
        [itemId],
      )
    )[0]?.n,
  );

const movement = (kind: string, quantity: number, id = randomUUID()) =>
  mutation({
    table: 'inventory_movements',
    op: 'insert',
    id,
    userId: pharmacistId,
    data: {
      itemId: saline().id,
      kind,
      quantity,
      reason: 'Ward round',
      recordedBy: pharmacistId,
      recordedAt: NOW.toISOString(),
    },
  });

describe('stock is the sum of its movements', () => {
  test('two desks dispensing offline add up; going below zero is kept, warned and alerted', async () => {
    expect(await onHand(saline().id)).toBe(8);
    expect(await pushOne(server, pharmacy, movement('dispensed', -5))).toMatchObject({
      status: 'applied',
      version: 1,
    });
    expect((await pushOne(server, pharmacy, movement('dispensed', -3))).warnings).toBeUndefined();
    const below = movement('dispensed', -2);
    const result = await pushOne(server, wardStore, below);
    expect(result).toMatchObject({
      status: 'applied',
      warnings: [{ code: 'negative_stock' }],
    });
    expect(await onHand(saline().id)).toBe(-2);
    const alerts = await query(
      "select patient_id, details from clinical_alerts where kind = 'negative_stock'",
    );
    expect(alerts).toEqual([
      {
        patient_id: null,
        details: expect.objectContaining({
          itemId: saline().id,
          movementId: below.id,
          quantity: -2,
          onHand: -2,
        }) as unknown,
      },
    ]);
  });

  test('a delivery brings it back without an alert', async () => {
    const result = await pushOne(server, pharmacy, movement('received', 40));
    expect(result.warnings).toBeUndefined();
    expect(await onHand(saline().id)).toBe(38);
  });

  test('a movement of the wrong sign is refused, and a movement is never changed', async () => {
    expect(await pushOne(server, pharmacy, movement('dispensed', 3))).toMatchObject({
      status: 'rejected',
      reason: { code: 'validation' },
    });
    const id = randomUUID();
    await pushOne(server, pharmacy, movement('expired', -1, id));
    const edit = await pushOne(
      server,
      pharmacy,
      mutation({
        table: 'inventory_movements',
        op: 'update',
        id,
        userId: pharmacistId,
        baseVersion: 1,
        data: { quantity: -10 },
      }),
    );
    expect(edit).toMatchObject({ status: 'rejected', reason: { code: 'validation' } });
    expect(await onHand(saline().id)).toBe(37);
  });
});
