// Every WIRE path is served, and bodies are checked before any stub (or database) is reached.
import { describe, expect, it } from 'vitest';
import { WIRE } from '../../../src/clients/http/wire.js';
import { createStubServices } from '../../../src/clients/stubs/index.js';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { buildStubApp } from '../../../src/stub-server/app.js';

// No database: any stub call that reached Prisma would fail with a 500.
const stubs = createStubServices({
  prisma: {} as PrismaClient,
  contract: { invokePrebound: async () => undefined, publish: async () => undefined, terminatedSubject: 'x' },
});
const { app } = buildStubApp({ stubs, authJwtSecret: null, readiness: { database: async () => Promise.reject(new Error('down')) } });

describe('stub server routes', () => {
  it('everyWirePath_hasAPostRoute', async () => {
    await app.ready();
    for (const path of Object.values(WIRE).flatMap((ops) => Object.values(ops) as string[])) {
      expect(app.hasRoute({ method: 'POST', url: path }), path).toBe(true);
    }
  });

  it('keyedCalls_withoutAKey_are400BeforeTheStub', async () => {
    const res = await app.inject({ method: 'POST', url: WIRE.item.destroyInstance, payload: { instanceId: 'a', gameServiceId: 'b', reason: 'Consumed' } });
    expect([res.statusCode, res.json().code]).toEqual([400, 'invalid']);
    expect(res.json().message).toMatch(/idempotencyKey/);
  });

  it('readyz_whenACheckFails_is503', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect([res.statusCode, res.json()]).toEqual([503, { status: 'unavailable', checks: { database: 'down' } }]);
  });

  it('anUnexpectedError_is500Internal_withoutItsDetails', async () => {
    const res = await app.inject({ method: 'POST', url: WIRE.gameService.list, payload: {} });
    expect([res.statusCode, res.json()]).toEqual([500, { code: 'internal', message: 'internal error' }]);
  });
});
