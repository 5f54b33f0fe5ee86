/**
 * Staff passwords as every part of Wardline judges them: the server when it sets one (account
 * creation, a change, a reset), the workstation's change form before anything is sent.
 */
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1000;

export const NewPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`);

/** A new password as the change form has it: typed twice, and not the current one again. */
export const PasswordChangeFormSchema = z
  .object({
    currentPassword: z.string().min(1, 'Type your current password.').max(1024),
    newPassword: NewPasswordSchema,
    repeatPassword: z.string(),
  })
  .refine((form) => form.newPassword === form.repeatPassword, {
    path: ['repeatPassword'],
    message: 'The two new passwords are not the same.',
  })
  .refine((form) => form.newPassword !== form.currentPassword, {
    path: ['newPassword'],
    message: 'The new password must differ from the current one.',
  });
export type PasswordChangeForm = z.infer<typeof PasswordChangeFormSchema>;

/**
 * Temporary passwords an administrator's reset makes: letters and digits that cannot be misread
 * on a screen (no 0/O, 1/l/I), long enough to be guessed no more easily than a chosen one.
 */
export const TEMPORARY_PASSWORD_ALPHABET =
  'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const TEMPORARY_PASSWORD_LENGTH = 14;
/**
 * How long a temporary password opens the way to a new one: a reset's password handed over and
 * never used stops working after this, and the person needs another reset.
 */
export const TEMPORARY_PASSWORD_VALID_HOURS = 72;
