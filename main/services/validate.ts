import type { z } from 'zod';
import { describeZodError } from '../../shared/validation';
import { refuse } from '../errors';

/** Validates a service's input with its shared schema; the refusal names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) refuse('invalid_input', describeZodError(parsed.error), 'invalid');
  return parsed.data;
}
