/**
 * Every procedure × every role: allowed or refused exactly as shared/roles.ts says, and no
 * procedure without a declared permission (only the sign-in/lock calls are public).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { userPermissions } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { appRouter } from '../../../main/api/router';
import type { ProcedureMeta } from '../../../main/api/trpc';
import { isPermission, type Permission } from '../../../shared/permissions';
import { permissionId } from '../../../shared/reference-data';
import { ROLES, roleHasPermission } from '../../../shared/roles';
import { createTestWorkstation, type TestWorkstation } from './support';

const PUBLIC_PROCEDURES = [
  'auth.login',
  'auth.unlock',
  'auth.lock',
  'auth.logout',
  'auth.reportActivity',
  'auth.session',
  // One's own password (the session is required inside), and a reset one replaced at sign-in.
  'auth.changePassword',
  'auth.replaceTemporaryPassword',
  // One's own password again before a sensitive action (the session is required inside).
  'auth.reauthenticate',
  // No user can exist on a workstation before it is enrolled; neither answers with the device token.
  'setup.status',
  'setup.enroll',
];

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>,
).map(([path, procedure]) => ({ path, meta: procedure._def.meta ?? {} }));
const guarded = procedures.flatMap(({ path, meta }) =>
  meta.permission ? [{ path, permission: meta.permission }] : [],
);

type Callable = (input: unknown) => Promise<unknown>;
function callByPath(ws: TestWorkstation, path: string, input: unknown): Promise<unknown> {
  let node: unknown = ws.caller;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  return (node as Callable)(input);
}

/** Forbidden means the permission check refused; anything else (even a bad-input error) got past it. */
async function isForbidden(ws: TestWorkstation, path: string): Promise<boolean> {
  try {
    await callByPath(ws, path, undefined);
    return false;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return error.code === 'FORBIDDEN';
  }
}

describe('RBAC matrix', () => {
  let ws: TestWorkstation;
  beforeAll(() => {
    ws = createTestWorkstation();
  });
  afterAll(() => {
    ws.close();
  });

  it('every procedure declares a catalog permission, or is one of the public sign-in calls', () => {
    expect(procedures.length).toBeGreaterThan(30);
    for (const { path, meta } of procedures) {
      if (meta.access === 'public') expect(PUBLIC_PROCEDURES).toContain(path);
      else expect(meta.permission !== undefined && isPermission(meta.permission), path).toBe(true);
    }
  });

  for (const role of ROLES) {
    it(`${role}: allowed exactly what the permission table grants`, async () => {
      ws.signInAs(role);
      const outcome: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      for (const { path, permission } of guarded) {
        outcome[path] = !(await isForbidden(ws, path));
        expected[path] = roleHasPermission(role, permission);
      }
      expect(outcome).toEqual(expected);
    });
  }

  it('a direct grant works until it expires', async () => {
    ws.signInAs('nurse');
    const grant = (expiresAt: string | null) =>
      ws.replica.db
        .insert(userPermissions)
        .values({
          id: crypto.randomUUID(),
          hospitalId: DEMO_HOSPITAL_ID,
          userId: demoUserId('nurse@hass.example'),
          permissionId: permissionId('inventory:adjust' satisfies Permission),
          expiresAt,
        })
        .run();
    expect(await isForbidden(ws, 'inventory.record')).toBe(true);
    grant(new Date(ws.clock.now().getTime() + 3_600_000).toISOString());
    expect(await isForbidden(ws, 'inventory.record')).toBe(false);
    ws.clock.advance(3_600_000);
    ws.signInAs('nurse');
    expect(await isForbidden(ws, 'inventory.record')).toBe(true);
  });
});
