/**
 * What IT does at the server's console (organisation changes, device revokes) is recorded in
 * `admin_actions`, in the same transaction as the change itself (`inTransaction`): a change
 * without its record, or a record of a change that rolled back, cannot happen.
 */
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

export interface AdminAction {
  hospitalId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
}

/** One console action and the entity's state after it (ids and settings, never a secret). */
export async function recordAdminAction(
  client: pg.PoolClient,
  action: AdminAction,
  after: Record<string, unknown>,
): Promise<void> {
  await client.query(
    `insert into admin_actions (id, actor, hospital_id, action, entity, entity_id, after)
     values ($1, 'cli', $2, $3, $4, $5, $6)`,
    [
      uuidv7(),
      action.hospitalId,
      action.action,
      action.entity,
      action.entityId,
      JSON.stringify(after),
    ],
  );
}
