import type { z } from 'zod';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `allergies.0` or `temperatureC`. */
  field: string;
  message: string;
}

/** Turns a zod error into one entry per field, so forms and API answers can name the field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** One sentence naming every offending field: `temperatureC: Too big: expected number to be <=45`. */
export function describeZodError(error: z.ZodError): string {
  return fieldErrors(error)
    .map(({ field, message }) => `${field}: ${message}`)
    .join('; ');
}
