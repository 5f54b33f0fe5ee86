import { describe, expect, it } from 'vitest';
import { ENDPOINTS, endpointPath } from '../../../shared/endpoints';
import {
  ErrorBodySchema,
  MutationResultSchema,
  PROTOCOL_VERSION,
  ReceivedPushResponseSchema,
} from '../../../shared/protocol';

const mutationId = '0190e6b0-0000-7000-8000-000000000001';

describe('the codes of the wire contract', () => {
  it('speaks protocol 2', () => {
    expect(PROTOCOL_VERSION).toBe(2);
  });

  it("reads a newer server's unknown reason or warning as `unknown`, keeping its sentence and status", () => {
    const answer = ReceivedPushResponseSchema.parse({
      results: [
        {
          mutationId,
          status: 'rejected',
          reason: { code: 'quarantined_ward', message: 'This ward is closed for cleaning.' },
        },
        {
          mutationId,
          status: 'applied',
          version: 3,
          warnings: [
            { code: 'possible_double_dose', message: 'Already given.' },
            { code: 'odd_hour', message: 'Charted at 3 am.' },
          ],
        },
        { mutationId, status: 'rejected', reason: { code: 'sequence_reused', message: 'Reused.' } },
      ],
    });
    expect(answer.results.map((result) => result.reason?.code)).toEqual([
      'unknown',
      undefined,
      'sequence_reused',
    ]);
    expect(answer.results[0]?.reason?.message).toBe('This ward is closed for cleaning.');
    expect(answer.results[1]?.warnings?.map((warning) => warning.code)).toEqual([
      'possible_double_dose',
      'unknown',
    ]);
  });

  it('holds the server to the listed codes: its own schema refuses one it does not declare', () => {
    const result = {
      mutationId,
      status: 'conflict',
      reason: { code: 'bed_unavailable', message: '' },
    };
    expect(MutationResultSchema.safeParse(result).success).toBe(true);
    const invented = { ...result, reason: { code: 'bed_taken', message: '' } };
    expect(MutationResultSchema.safeParse(invented).success).toBe(false);
  });

  it('reads error bodies the same way', () => {
    const locked = ErrorBodySchema.parse({ error: { code: 'account_locked', message: 'Wait.' } });
    expect(locked.error.code).toBe('account_locked');
    const teapot = ErrorBodySchema.parse({ error: { code: 'teapot', message: 'No.' } });
    expect(teapot.error.code).toBe('unknown');
  });
});

describe('the endpoints, declared once', () => {
  it('fill in and encode their path parameters, and refuse a missing one', () => {
    expect(endpointPath(ENDPOINTS.globalEmr, { patientId: 'a/b c' })).toBe(
      '/v1/emr/global/a%2Fb%20c',
    );
    expect(() => endpointPath(ENDPOINTS.globalEmr)).toThrow(/patientId/);
    expect(endpointPath(ENDPOINTS.push)).toBe('/v1/sync/push');
  });
});
