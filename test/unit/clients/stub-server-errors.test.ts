// How the stub server turns an error into its status and `{code, message}`.
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { toWireError } from '../../../src/stub-server/errors.js';

describe('stub server errors', () => {
  it.each([
    ['invalid', 400],
    ['not_found', 404],
    ['conflict', 409],
    ['insufficient_funds', 422],
    ['unavailable', 503],
  ] as const)('clientError_%s_is%i_withItsKindAsCode', (kind, status) => {
    expect(toWireError(new ClientError('item', kind, 'why'))).toEqual({ status, body: { code: kind, message: 'item: why' } });
  });

  it('databaseUnreachable_is503Unavailable', () => {
    expect(toWireError(Object.assign(new Error('x'), { code: 'P1001' }))?.status).toBe(503);
    expect(toWireError(new Error('pool timeout: failed to retrieve a connection'))).toMatchObject({ status: 503, body: { code: 'unavailable' } });
  });

  it('aValueTheDatabaseRefuses_is400Invalid', () => {
    const tooLong = Object.assign(new Error('x'), { code: 'P2000' });
    const badDate = Object.assign(new Error('x'), { code: 'P2039', meta: { driverAdapterError: { cause: { state: '22007', code: 1292 } } } });
    const tooBig = Object.assign(new Error('Unable to fit value'), { name: 'PrismaClientValidationError' });
    for (const err of [tooLong, badDate, tooBig]) expect(toWireError(err)).toMatchObject({ status: 400, body: { code: 'invalid' } });
  });

  it('fastifysOwnRefusals_keepTheirStatus_asInvalid', () => {
    const err = Object.assign(new Error('Body is not valid JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    expect(toWireError(err)).toEqual({ status: 400, body: { code: 'invalid', message: 'Body is not valid JSON' } });
    expect(toWireError(Object.assign(new Error('too large'), { statusCode: 413 }))?.status).toBe(413);
  });

  it('anythingElse_isLeftToThe500Handler', () => {
    expect(toWireError(new TypeError('x is undefined'))).toBeNull();
  });
});
