/**
 * Mantine form validation from the shared zod schemas, with sentences a nurse reads next to the
 * field ("Required", "At most 45") rather than zod's developer wording. A schema's own message
 * (e.g. the MRN format) wins over these.
 */
import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { fieldErrors } from '../../shared/validation';

type Issue = z.core.$ZodRawIssue;

function friendlyMessage(issue: Issue): string | undefined {
  if (
    issue.code === 'invalid_type' &&
    (issue.input === undefined || issue.input === null || issue.input === '')
  )
    return 'Required';
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a number';
  if (issue.code === 'too_small') {
    if (issue.origin === 'string' && Number(issue.minimum) <= 1) return 'Required';
    if (issue.origin === 'number') return `At least ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big') {
    if (issue.origin === 'string') return `At most ${String(issue.maximum)} characters`;
    if (issue.origin === 'number') return `At most ${String(issue.maximum)}`;
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'Not an email address';
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'Pick a date';
  return undefined;
}

/** Validates form values; keys are Mantine field paths (`allergies.0.substance`). */
export function zodValidate(schema: z.ZodType) {
  return (values: unknown): FormErrors => {
    const result = schema.safeParse(values, { error: friendlyMessage });
    if (result.success) return {};
    const errors: FormErrors = {};
    for (const { field, message } of fieldErrors(result.error)) errors[field] ??= message;
    return errors;
  };
}
