import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEconomy, type Economy } from './helpers/economy.js';
import { startCluster, type Cluster } from './helpers/cluster.js';
import { runMix } from './helpers/load.js';

let c: Cluster;
let eco: Economy;
beforeAll(async () => {
  c = await startCluster(3);
});
afterAll(() => c?.close());

describe('three instances, one economy', () => {
  it('concurrentMix_threeInstancesSharedMaterials_everyItemCoinAndEventAccountedFor', async () => {
    eco = await buildEconomy(c.fleet, 10);
    // 24 clients over 10 crafters: starts race for the same ingots, advances and cancels
    // for the same sessions, spread round-robin over the three processes.
    const report = await runMix(c.fleet, eco, { clients: 24, turns: 12, seed: 1 });
    await c.ledger.settle(c.fleet, eco.gs);

    expect(report.unexpected, c.fleet.errorLog()).toEqual([]);
    expect(report.statuses[0] ?? 0).toBe(0);
    const counts = await c.ledger.statusCounts(eco.gs);
    // The mix really ran: crafts finished, some were cancelled, some failed.
    expect(counts.completed ?? 0).toBeGreaterThan(30);
    expect(counts.cancelled ?? 0).toBeGreaterThan(0);
    // Ruleset crafts ran too: some tempered blades, and failed attempts that destroyed ingots.
    const tempering = await c.ledger.tempering(eco.gs);
    expect(tempering.statuses.completed ?? 0).toBeGreaterThan(0);
    expect(tempering.lostIngots).toBeGreaterThan(0);
    // Some of them tempered a batch of two blades.
    expect(tempering.batches).toBeGreaterThan(0);
    // Etches broke swords, repairs mended damaged ones, and embers filled the extra slot.
    const ran = await c.ledger.recipeStatuses(eco.gs);
    expect(ran.etch_runes?.failed ?? 0).toBeGreaterThan(0);
    expect(ran.etch_runes?.completed ?? 0).toBeGreaterThan(0);
    expect(ran.mend_sword?.completed ?? 0).toBeGreaterThan(0);
    expect((await c.ledger.items(eco.gs)).ember?.consumed ?? 0).toBeGreaterThan(0);
    expect(await c.ledger.audit(eco)).toEqual([]);
  });

  it('audit_aDuplicatedSwordAndAnUnpaidCraft_areBothReported', async () => {
    // The auditor itself must see a broken economy: copy a sword, refund one craft's gold,
    // burn a third flux in a tempering session, make a broken sword whole again.
    await c.ledger.db.query(
      `INSERT INTO stub_item_instance (id, templateId, gameServiceId, containerId, realmId, quantity, instanceMetadata, originType, originId, createdAt, updatedAt)
       SELECT UUID(), templateId, gameServiceId, containerId, realmId, quantity, instanceMetadata, 'Grant', NULL, NOW(3), NOW(3)
       FROM stub_item_instance WHERE gameServiceId = ? AND destroyedAt IS NULL AND quantity = 1 LIMIT 1`,
      [eco.gs],
    );
    await c.ledger.db.query(
      `UPDATE stub_wallet_balance b JOIN stub_wallet w ON w.id = b.walletId SET b.amount = b.amount + 5 WHERE w.ownerId = ?`,
      [eco.crafters[0]!.entityId],
    );
    const [temper] = await c.ledger.db.query<{ id: string }[]>(
      `SELECT id FROM CraftSession WHERE gameServiceId = ? AND recipeCode = 'temper_blade' AND status = 'completed' LIMIT 1`,
      [eco.gs],
    );
    await c.ledger.db.query(
      `INSERT INTO stub_item_instance (id, templateId, gameServiceId, containerId, realmId, quantity, instanceMetadata, originType, originId, createdAt, updatedAt, destroyedAt, destroyReason)
       SELECT UUID(), t.id, t.gameServiceId, c.id, '', 3, '{}', 'Grant', NULL, NOW(3), NOW(3), NOW(3), 'Consumed'
       FROM stub_item_template t JOIN stub_container c ON c.ownerId = ? WHERE t.gameServiceId = ? AND t.code = 'flux' LIMIT 1`,
      [temper!.id, eco.gs],
    );
    // ... and mend a sword an etch broke.
    const [broken] = await c.ledger.db.query<{ targetItemId: string }[]>(
      `SELECT targetItemId FROM CraftSession WHERE gameServiceId = ? AND recipeCode = 'etch_runes' AND status = 'failed' AND failureReason LIKE '%the target item broke%' LIMIT 1`,
      [eco.gs],
    );
    await c.ledger.db.query('UPDATE stub_item_instance SET destroyedAt = NULL, destroyReason = NULL WHERE id = ?', [broken!.targetItemId]);
    // ... and reopen the contract of a completed craft.
    await c.ledger.db.query(`UPDATE stub_contract SET status = 'Active' WHERE id = (SELECT contractId FROM CraftSession WHERE id = ?)`, [temper!.id]);
    const problems = await c.ledger.audit(eco);
    expect(problems).toContain(`session ${temper!.id} completed but its contract is Active`);
    expect(problems).toContain(`a failed etch left sword ${broken!.targetItemId} whole`);
    expect(problems.some((p) => /live .* != granted/.test(p))).toBe(true);
    expect(problems.some((p) => new RegExp(`^session ${temper!.id} burnt \\d+ flux in at most 2 attempts$`).test(p)), problems.join('\n')).toBe(true);
    expect(problems.some((p) => p.startsWith(`wallet of ${eco.crafters[0]!.entityId}: balance`))).toBe(true);
  });
});
