// Idempotency-Key through HTTP: replays are byte for byte, a key executes once per caller,
// a reused key with another request is refused, concurrent requests with one key execute once.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storedIdentity } from '../../../src/infra/repositories/prisma-idempotency-repository.js';
import { forgeIronSword } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { TEST_CALLER } from '../../helpers/tokens.js';
import { forgeWorld, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  // Several active sessions per crafter: a start executed twice would really start a second one.
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
});
afterAll(() => h.close());
afterEach(() => h.runtime.internals.faults.disarm());

interface RawAnswer {
  status: number;
  /** The body exactly as sent, not parsed. */
  text: string;
  contentType: string | undefined;
  replayed: string | undefined;
  json: any;
}

/** POSTs a JSON text (sent as given) with an optional Idempotency-Key; returns the raw answer. */
async function send(path: string, body: unknown, key?: string): Promise<RawAnswer> {
  const res = await h.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', authorization: h.authorization, ...(key !== undefined && { 'idempotency-key': key }) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    text: res.body,
    contentType: res.headers['content-type'] as string | undefined,
    replayed: res.headers['idempotent-replayed'] as string | undefined,
    json: res.body ? JSON.parse(res.body) : undefined,
  };
}

const recipeCount = (gameServiceId: string) => h.runtime.internals.prisma.recipe.count({ where: { gameServiceId } });
const sessionCount = (w: World) => h.runtime.internals.prisma.craftSession.count({ where: { entityId: w.entityId } });
const recordOf = (key: string) =>
  h.runtime.internals.prisma.idempotencyRecord.findUnique({ where: { callerKey_idemKey: storedIdentity(TEST_CALLER, key) } });

function expectReplayOf(replay: RawAnswer, first: RawAnswer) {
  expect(first.replayed).toBeUndefined();
  expect(replay.replayed).toBe('true');
  expect(replay.status).toBe(first.status);
  expect(replay.contentType).toBe(first.contentType);
  expect(replay.text).toBe(first.text);
}

describe('Idempotency-Key: replay', () => {
  it('createRecipe_retriedWithSameKey_replaysTheFirstResponseByteForByteAndCreatesOneRecipe', async () => {
    const gs = await h.gameService();
    const key = randomUUID();
    const body = forgeIronSword(gs);
    const first = await send('/craft/recipe/create', body, key);
    expect(first.status).toBe(200);

    const retry = await send('/craft/recipe/create', body, key);
    expectReplayOf(retry, first);
    // The same request with its keys in another order and other whitespace is the same request.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
    expectReplayOf(await send('/craft/recipe/create', reordered, key), first);
    expect(await recipeCount(gs)).toBe(1);
  });

  it('startSession_retriedWithSameKey_replaysAndStartsOneSessionMovingMaterialsOnce', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w, 2); // enough for two sessions, so a second execution would show
    const key = randomUUID();
    const first = await send('/craft/session/start', startBody(w), key);
    expect(first.status, first.text).toBe(200);
    const afterFirst = await w.contents();
    expect(afterFirst).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });

    const retry = await send('/craft/session/start', startBody(w), key);
    expectReplayOf(retry, first);
    expect(retry.json.sessionId).toBe(first.json.sessionId);
    expect(await w.contents()).toEqual(afterFirst);
    expect(await sessionCount(w)).toBe(1);

    // Another key is another request: it starts a second session.
    const other = await send('/craft/session/start', startBody(w), randomUUID());
    expect(other.status, other.text).toBe(200);
    expect(other.json.sessionId).not.toBe(first.json.sessionId);
    expect(await sessionCount(w)).toBe(2);
  });

  it('startSession_rejectedWith4xx_theRejectionIsStoredAndReplayedEvenOnceItWouldSucceed', async () => {
    const w = await forgeWorld(h);
    const key = randomUUID();
    const first = await send('/craft/session/start', startBody(w), key);
    expect({ status: first.status, code: first.json.code }).toEqual({ status: 400, code: 'MATERIALS_INSUFFICIENT' });

    await swordMaterials(w);
    const retry = await send('/craft/session/start', startBody(w), key);
    expectReplayOf(retry, first);
    expect(await sessionCount(w)).toBe(0);
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
  });

  it('grantItem_failingWith5xx_isNotStoredSoTheRetryRunsOnce', async () => {
    const w = await forgeWorld(h);
    const key = randomUUID();
    const body = { containerId: w.inventoryId, gameServiceId: w.gs, itemTemplateCode: 'iron_ingot', quantity: 2 };
    h.runtime.internals.faults.arm('item.createInstance', { times: 1 });
    const failed = await send('/dev/item/grant', body, key);
    expect({ status: failed.status, code: failed.json.code }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(await recordOf(key)).toBeNull();

    const retry = await send('/dev/item/grant', body, key);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.replayed).toBeUndefined();
    expectReplayOf(await send('/dev/item/grant', body, key), retry);
    expect(await w.contents()).toEqual({ iron_ingot: 2 });
  });
});

describe('Idempotency-Key: misuse', () => {
  it('sameKeyWithAnotherBody_returns422AndExecutesNothing', async () => {
    const gs = await h.gameService();
    const key = randomUUID();
    expect((await send('/craft/recipe/create', forgeIronSword(gs), key)).status).toBe(200);

    const other = await send('/craft/recipe/create', forgeIronSword(gs, { code: 'forge_iron_dagger' }), key);
    expect({ status: other.status, code: other.json.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.replayed).toBeUndefined();
    expect(await recipeCount(gs)).toBe(1);

    // The key belongs to that request on that path: another operation with it is refused too.
    const station = await send('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 0.5 }, key);
    expect({ status: station.status, code: station.json.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('malformedKey_returns400WithTheErrorBody', async () => {
    const gs = await h.gameService();
    for (const key of ['', 'k'.repeat(201), 'caf\u00e9']) {
      const res = await send('/craft/recipe/create', forgeIronSword(gs), key);
      expect({ status: res.status, code: res.json.code }, JSON.stringify(key)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await recipeCount(gs)).toBe(0);
    // 200 printable characters (spaces and punctuation included) is the longest key.
    const longest = `${randomUUID()} ~!@#$%^&*()`.padEnd(200, 'x');
    const first = await send('/craft/recipe/create', forgeIronSword(gs), longest);
    expect(first.status, first.text).toBe(200);
    expectReplayOf(await send('/craft/recipe/create', forgeIronSword(gs), longest), first);
  });

  it('operationWithoutTheHeaderParameter_ignoresTheHeader', async () => {
    const gs = await h.gameService();
    const key = randomUUID();
    const created = await send('/craft/recipe/create', forgeIronSword(gs), key);
    expect(created.status).toBe(200);
    // recipe/get does not declare Idempotency-Key: a used key, another body, a malformed key
    // are all ignored, and nothing is recorded for its own key.
    const get = await send('/craft/recipe/get', { recipeId: created.json.recipeId }, key);
    expect(get.status, get.text).toBe(200);
    expect(get.replayed).toBeUndefined();
    expect((await send('/craft/recipe/get', { recipeId: created.json.recipeId }, 'k'.repeat(300))).status).toBe(200);
    const ownKey = randomUUID();
    await send('/craft/recipe/list', { gameServiceId: gs }, ownKey);
    const list = await send('/craft/recipe/list', { gameServiceId: gs }, ownKey);
    expect(list.replayed).toBeUndefined();
    expect(await recordOf(ownKey)).toBeNull();
  });
});

describe('Idempotency-Key: concurrency', () => {
  it('twentyConcurrentStartsWithOneKey_executeOnceAndAllAnswerTheSame', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w, 10); // ten sessions' worth: only the key stops a second session
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => send('/craft/session/start', startBody(w), key)));

    const succeeded = answers.filter((a) => a.status === 200);
    const waiting = answers.filter((a) => a.status !== 200);
    for (const a of waiting) {
      expect({ status: a.status, code: a.json.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' });
    }
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    expect(succeeded.filter((a) => a.replayed === undefined)).toHaveLength(1);
    expect(new Set(succeeded.map((a) => a.text)).size).toBe(1);

    expect(await sessionCount(w)).toBe(1);
    expect(await w.contents()).toEqual({ iron_ingot: 27, leather_strip: 9, hammer: 1 });
    // A later retry gets the same answer too.
    expectReplayOf(await send('/craft/session/start', startBody(w), key), succeeded.find((a) => !a.replayed)!);
  });
});

describe('Idempotency-Key: retention', () => {
  it('expiredKey_purgedByTheJob_runsAgain', async () => {
    const gs = await h.gameService();
    const key = randomUUID();
    const body = forgeIronSword(gs);
    expect((await send('/craft/recipe/create', body, key)).status).toBe(200);
    expect((await recordOf(key))?.status).toBe('completed');

    await h.runtime.internals.prisma.idempotencyRecord.update({
      where: { callerKey_idemKey: storedIdentity(TEST_CALLER, key) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await h.runtime.idempotency.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await recordOf(key)).toBeNull();

    // Not a replay: the create runs again and meets the recipe it made the first time.
    const again = await send('/craft/recipe/create', body, key);
    expect({ status: again.status, code: again.json.code }).toEqual({ status: 409, code: 'RECIPE_CODE_EXISTS' });
    expect(again.replayed).toBeUndefined();
    expect(await recipeCount(gs)).toBe(1);
  });

  it('expiredKey_notYetPurged_isNotReplayed', async () => {
    const gs = await h.gameService();
    const key = randomUUID();
    expect((await send('/craft/recipe/create', forgeIronSword(gs), key)).status).toBe(200);
    await h.runtime.internals.prisma.idempotencyRecord.update({
      where: { callerKey_idemKey: storedIdentity(TEST_CALLER, key) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    // Past its retention the key is free, even for another request.
    const other = await send('/craft/recipe/create', forgeIronSword(gs, { code: 'forge_iron_dagger' }), key);
    expect(other.status, other.text).toBe(200);
    expect(other.replayed).toBeUndefined();
    expect(await recipeCount(gs)).toBe(2);
    expect((await recordOf(key))!.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});
