import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUuid } from '../../../src/http/openapi/canonical-ids.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { bearer, mintToken } from '../../helpers/tokens.js';
import { expectError, ok } from '../../helpers/world.js';
import { forgeIronSword } from '../../helpers/fixtures.js';

/** One form for ids: what is stored is what every later comparison (SQL or code) sees. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('canonical ids', () => {
  it('canonicalUuid_acceptsUpperCaseUrnAndBraces_leavesAnythingElse', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    for (const form of [id.toUpperCase(), `urn:uuid:${id}`, `URN:UUID:${id.toUpperCase()}`, `{${id}}`, `urn:uuid:{${id}}`]) expect(canonicalUuid(form)).toBe(id);
    for (const other of [`{${id}`, `${id}}`, `uuid:${id}`, `${id} `, 'not-a-uuid']) expect(canonicalUuid(other)).toBe(other);
  });

  it('recipeCreate_upperCasedGameServiceId_storedCanonical_andTheGamesOwnScopedTokenSeesIt', async () => {
    const gs = await h.gameService();
    const created = await ok(h, '/craft/recipe/create', forgeIronSword(gs.toUpperCase()));
    const row = await h.runtime.internals.prisma.recipe.findUniqueOrThrow({ where: { id: created.recipeId } });
    expect(row.gameServiceId).toBe(gs);
    for (const claim of [gs, gs.toUpperCase(), `urn:uuid:${gs}`]) {
      const asGame = bearer(await mintToken({ sub: 'game', roles: ['service'], gameServices: [claim] }));
      const res = await h.post('/craft/recipe/get', { recipeId: created.recipeId }, asGame);
      expect({ claim, status: res.status, gs: res.body.recipe?.gameServiceId }).toEqual({ claim, status: 200, gs });
    }
  });

  it('stationRegister_urnIds_storedCanonical_no500', async () => {
    const gs = await h.gameService();
    const [location, owner] = [randomUUID(), randomUUID()];
    const res = await ok(h, '/craft/station/register', {
      gameServiceId: `{${gs.toUpperCase()}}`,
      stationType: 'forge',
      locationId: `urn:uuid:${location}`,
      ownerId: `URN:UUID:${owner.toUpperCase()}`,
      ownerType: 'character',
      quality: 0.5,
    });
    expect(res.station).toMatchObject({ gameServiceId: gs, locationId: location, ownerId: owner });
    const listed = await ok(h, '/craft/station/list', { locationId: location.toUpperCase() });
    expect(listed.stations.map((s: { stationId: string }) => s.stationId)).toEqual([res.stationId]);
  });

  it('blankStrings_answer400_mustNotBeBlank_andWriteNothing', async () => {
    const gs = await h.gameService();
    for (const entityType of [' ', '\t', '\u3000']) {
      const res = await h.post('/craft/proficiency/grant', { gameServiceId: gs, entityId: randomUUID(), entityType, domain: 'smithing', amount: 5 });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.errors).toEqual([expect.objectContaining({ path: '/entityType', message: 'must not be blank' })]);
    }
    expectError(await h.post('/craft/recipe/create', forgeIronSword(gs, { code: '  ' })), 400, 'VALIDATION_FAILED');
    expect(await h.runtime.internals.prisma.proficiency.count({ where: { gameServiceId: gs } })).toBe(0);
  });

  it('devItemGrant_metadataNested5000Deep_answers400_andCreatesNoItem', async () => {
    const gs = await h.gameService();
    await ok(h, '/dev/item/template/create', { gameServiceId: gs, code: 'gem', category: 'gem' });
    const inv = await ok(h, '/dev/inventory/create', { gameServiceId: gs, ownerId: randomUUID(), ownerType: 'character' });
    const body = { gameServiceId: gs, containerId: inv.container.containerId, itemTemplateCode: 'gem', quantity: 1 };
    // Sent as text: nested this deep, JSON.stringify itself would run out of stack.
    const deep = `${JSON.stringify(body).slice(0, -1)},"instanceMetadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const res = await h.post('/dev/item/grant', deep);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toMatch(/nest deeper than 8 levels/);
    const wide = { ...body, instanceMetadata: { notes: 'x'.repeat(20_000) } };
    expect((await h.post('/dev/item/grant', wide)).body.message).toMatch(/longer than 16384/);
    expect((await ok(h, '/dev/inventory/get', { gameServiceId: gs, containerId: inv.container.containerId })).items).toEqual([]);
    await ok(h, '/dev/item/grant', { ...body, instanceMetadata: { a: { b: { c: { d: 1 } } } } });
  });
});
