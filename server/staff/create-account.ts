/**
 * A new staff account, made by IT on the server: the first password is hashed here and stored
 * only in `user_credentials`; the `users` row reaches the hospital's workstations through the
 * change feed (filled by the feed trigger on insert, as for seeded rows), without any password.
 */
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { NewPasswordSchema } from '../../shared/passwords';
import { RoleNameSchema } from '../../shared/schemas/access';
import { describeZodError } from '../../shared/validation';
import { hashPassword } from '../auth/password-hash';

export { MIN_PASSWORD_LENGTH } from '../../shared/passwords';

/** A refusal IT can act on: `code` for scripts, the message for the person at the console. */
export class StaffAccountError extends Error {
  constructor(
    readonly code: 'invalid' | 'hospital_not_found' | 'email_taken',
    message: string,
  ) {
    super(message);
    this.name = 'StaffAccountError';
  }
}

export const NewStaffAccountSchema = z.object({
  hospitalCode: z.string().trim().min(1),
  email: z.email().trim().toLowerCase().max(254),
  fullName: z.string().trim().min(1).max(160),
  role: RoleNameSchema,
  password: NewPasswordSchema,
});
/** As typed at the console: every field is checked here, the role against the catalog too. */
export type NewStaffAccount = Record<keyof z.input<typeof NewStaffAccountSchema>, string>;

// Administrators above a hospital belong to its region, not to it (as in the demo set).
const REGIONAL_ROLES = new Set(['super_admin', 'regional_admin']);

export async function createStaffAccount(
  pool: pg.Pool,
  input: NewStaffAccount,
): Promise<{ userId: string; email: string }> {
  const parsed = NewStaffAccountSchema.safeParse(input);
  if (!parsed.success) throw new StaffAccountError('invalid', describeZodError(parsed.error));
  const account = parsed.data;
  const passwordHash = await hashPassword(account.password);
  const client = await pool.connect();
  try {
    await client.query('begin');
    const hospital = await client.query<{ id: string; region_id: string }>(
      'select id, region_id from hospitals where code = $1 and deleted_at is null',
      [account.hospitalCode],
    );
    const found = hospital.rows[0];
    if (!found)
      throw new StaffAccountError(
        'hospital_not_found',
        `There is no hospital with the code ${account.hospitalCode}.`,
      );
    const taken = await client.query('select 1 from users where lower(email) = $1', [
      account.email,
    ]);
    if (taken.rowCount)
      throw new StaffAccountError(
        'email_taken',
        `An account with the email ${account.email} already exists.`,
      );
    const userId = uuidv7();
    await client.query(
      `insert into users (id, hospital_id, email, full_name, role, region_id, active, failed_login_count)
       values ($1, $2, $3, $4, $5, $6, true, 0)`,
      [
        userId,
        REGIONAL_ROLES.has(account.role) ? null : found.id,
        account.email,
        account.fullName,
        account.role,
        found.region_id,
      ],
    );
    await client.query('insert into user_credentials (user_id, password_hash) values ($1, $2)', [
      userId,
      passwordHash,
    ]);
    await client.query('commit');
    return { userId, email: account.email };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
