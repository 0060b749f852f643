// The standalone dev endpoints of the affix stub over HTTP (schema-validated requests and
// responses), served by an app whose only service is the standalone admin.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import responseValidation from '@fastify/response-validation';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadSpec, sharedSchemas } from '../../../src/http/openapi/load-spec.js';
import type { Services } from '../../../src/services/services.js';
import { StandaloneAdmin } from '../../../src/services/standalone/standalone-admin.js';
import { startStubs, type StubEnv } from './stub-env.js';

const spec = loadSpec(fileURLToPath(new URL('../../../schemas/craft-api.yaml', import.meta.url)));

let env: StubEnv;
let app: FastifyInstance;
let withoutAffix: FastifyInstance;

async function appWith(standalone: StandaloneAdmin) {
  return buildApp({
    spec,
    services: { standalone } as unknown as Services,
    readiness: {},
    standalone: true,
    logger: false,
    auth: { disabled: true },
    beforeRoutes: async (a) => {
      const ajv = new Ajv({ strict: false, allErrors: true, removeAdditional: false, coerceTypes: false });
      (formatsPlugin as unknown as { default: (a: Ajv) => void }).default(ajv);
      for (const schema of sharedSchemas(spec.schemas)) ajv.addSchema(schema);
      await a.register(responseValidation, { ajv });
    },
  });
}

beforeAll(async () => {
  env = await startStubs();
  const deps = { gameServices: env.gameService, item: env.item, inventory: env.inventory, currency: env.currency, contract: env.contract };
  app = await appWith(new StandaloneAdmin({ ...deps, affix: env.affix }));
  withoutAffix = await appWith(new StandaloneAdmin(deps));
});

afterAll(async () => {
  await Promise.all([app?.close(), withoutAffix?.close()]);
  await env.close();
});

/** An item instance (in a container of its game service), created through the stubs. */
async function anItem() {
  const gameServiceId = randomUUID();
  const template = await env.item.createTemplate({ gameServiceId, code: 'sword', category: 'one_hand_sword' });
  const box = await env.inventory.createContainer({ ownerId: randomUUID(), ownerType: 'character', containerType: 'inventory', gameServiceId }, `t:${randomUUID()}`);
  const item = await env.item.createInstance(
    { templateId: template.templateId, containerId: box.containerId, realmId: gameServiceId, quantity: 1, originType: 'Grant' },
    `t:${randomUUID()}`,
  );
  return { itemInstanceId: item.instanceId, gameServiceId };
}

async function post(path: string, body: unknown, on = app) {
  const res = await on.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: res.statusCode, body: JSON.parse(res.body) as any };
}

describe('/dev/affix/*', () => {
  it('createAffixDefinition: creates in an existing game service; duplicate code, bad range and unknown game service are 400', async () => {
    const gs = await env.gameService.register({ stubName: `gs-${randomUUID()}`, displayName: 'Affix test' });
    const body = {
      gameServiceId: gs.serviceId,
      code: 'fire_res_t1',
      slotType: 'suffix',
      tier: 1,
      weight: 100,
      valueMin: 40,
      valueMax: 45,
      tags: ['fire', 'resistance'],
      minItemLevel: 74,
    };
    const created = await post('/dev/affix/definition/create', body);
    expect(created.status).toBe(200);
    expect(created.body.definition).toMatchObject({ ...body, validItemClasses: null });

    const dup = await post('/dev/affix/definition/create', body);
    expect(dup).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/exists/) } });
    const range = await post('/dev/affix/definition/create', { ...body, code: 'x', valueMin: 50 });
    expect(range).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const unknown = await post('/dev/affix/definition/create', { ...body, gameServiceId: randomUUID() });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'GAME_SERVICE_NOT_FOUND' } });
    const schema = await post('/dev/affix/definition/create', { ...body, code: 'y', tier: 0 });
    expect(schema).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('getAffixItem and setAffixItemState: defaults, flags, limits, and a limit below the affixes present', async () => {
    const { itemInstanceId, gameServiceId } = await anItem();
    const fresh = await post('/dev/affix/item/get', { itemInstanceId, gameServiceId });
    expect(fresh).toEqual({
      status: 200,
      body: {
        item: {
          itemInstanceId,
          isIdentified: true,
          isCorrupted: false,
          isMirrored: false,
          isFractured: false,
          maxPrefixes: 3,
          maxSuffixes: 3,
          freeSlots: { prefix: 3, suffix: 3 },
          affixes: [],
        },
      },
    });
    const set = await post('/dev/affix/item/set-state', { itemInstanceId, gameServiceId, isIdentified: false, isCorrupted: true, maxSuffixes: 1 });
    expect(set.status).toBe(200);
    expect(set.body.item).toMatchObject({ isIdentified: false, isCorrupted: true, maxSuffixes: 1, freeSlots: { prefix: 3, suffix: 1 } });
    expect((await post('/dev/affix/item/get', { itemInstanceId, gameServiceId })).body).toEqual(set.body);

    const def = await env.affix.createDefinition({ gameServiceId, code: 'cold', slotType: 'suffix', tier: 2, weight: 1, valueMin: 1, valueMax: 3, tags: ['cold'] });
    await post('/dev/affix/item/set-state', { itemInstanceId, gameServiceId, isCorrupted: false });
    await env.affix.apply({ itemInstanceId, definitionId: def.definitionId, valuePercentileTarget: 0.5 }, `t:${randomUUID()}`);
    const item = (await post('/dev/affix/item/get', { itemInstanceId, gameServiceId })).body.item;
    expect(item.affixes).toEqual([
      { definitionId: def.definitionId, code: 'cold', tags: ['cold'], slotType: 'suffix', tier: 2, value: 2, valuePercentile: 0.5, isFractured: false },
    ]);
    expect(await post('/dev/affix/item/set-state', { itemInstanceId, gameServiceId, maxSuffixes: 0 })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await post('/dev/affix/item/get', { itemInstanceId: 'not-a-uuid', gameServiceId })).toMatchObject({ status: 400 });
  });

  it('getAffixItem and setAffixItemState: an item of another game service, or none, is 404 ITEM_NOT_FOUND and nothing is set', async () => {
    const { itemInstanceId, gameServiceId } = await anItem();
    const other = (await anItem()).gameServiceId;
    for (const body of [{ itemInstanceId, gameServiceId: other }, { itemInstanceId: randomUUID(), gameServiceId }]) {
      expect(await post('/dev/affix/item/get', body)).toMatchObject({ status: 404, body: { code: 'ITEM_NOT_FOUND' } });
      expect(await post('/dev/affix/item/set-state', { ...body, isCorrupted: true })).toMatchObject({ status: 404, body: { code: 'ITEM_NOT_FOUND' } });
    }
    expect((await post('/dev/affix/item/get', { itemInstanceId, gameServiceId })).body.item.isCorrupted).toBe(false);
  });

  it('without an affix service every affix dev endpoint answers 503 AFFIX_SERVICE_UNAVAILABLE', async () => {
    for (const [path, body] of [
      ['/dev/affix/item/get', { itemInstanceId: randomUUID(), gameServiceId: randomUUID() }],
      ['/dev/affix/item/set-state', { itemInstanceId: randomUUID(), gameServiceId: randomUUID() }],
      ['/dev/affix/definition/create', { gameServiceId: randomUUID(), code: 'a', slotType: 'prefix', tier: 1, weight: 1, valueMin: 0, valueMax: 1 }],
    ] as const) {
      expect(await post(path, body, withoutAffix), path).toMatchObject({ status: 503, body: { code: 'AFFIX_SERVICE_UNAVAILABLE' } });
    }
  });
});
