// The currency stub: wallets, credits, holds (create / capture / release), idempotency and
// the guarantee that concurrent holds never overdraw a wallet. Wallets and holds belong to a
// game service: another game service sees none of them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientError } from '../../../src/clients/errors.js';
import { concurrently, key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;

beforeAll(async () => {
  env = await startStubs();
});

afterAll(async () => {
  await env.close();
});

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

/** A wallet of a fresh owner in a fresh game service, credited with `gold`. */
async function funded(gold: number) {
  const gameServiceId = randomUUID();
  const owner = { ownerId: randomUUID(), ownerType: 'character' };
  const wallet = await env.currency.credit({ gameServiceId, ...owner, currencyCode: 'gold', amount: gold }, key('credit'));
  return { gameServiceId, owner, walletId: wallet.walletId };
}

async function balance(gameServiceId: string, walletId: string, currencyCode = 'gold') {
  const wallet = await env.currency.getWallet({ gameServiceId, walletId });
  return wallet!.balances.find((b) => b.currencyCode === currencyCode)!;
}

describe('wallets', () => {
  it('getOrCreateWallet creates one wallet per owner, even concurrently', async () => {
    const gameServiceId = randomUUID();
    const owner = { ownerId: randomUUID(), ownerType: 'character' };
    expect(await env.currency.getWallet({ gameServiceId, ...owner })).toBeNull();
    const { ok, errors } = await concurrently(20, () => env.currency.getOrCreateWallet({ ...owner, gameServiceId }));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((w) => w.walletId)).size).toBe(1);
    expect(ok[0]).toEqual({ walletId: ok[0]!.walletId, ...owner, gameServiceId, balances: [] });
    expect(await env.currency.getWallet({ gameServiceId, walletId: ok[0]!.walletId })).toEqual(ok[0]);
    expect(await env.currency.getWallet({ gameServiceId, ...owner })).toEqual(ok[0]);
  });

  it('credit creates wallet and balance, adds once per key, and sorts balances by code', async () => {
    const gameServiceId = randomUUID();
    const owner = { ownerId: randomUUID(), ownerType: 'npc' };
    const k = key('credit');
    const { errors } = await concurrently(20, () => env.currency.credit({ gameServiceId, ...owner, currencyCode: 'gold', amount: 10.5 }, k));
    expect(errors).toEqual([]);
    const wallet = await env.currency.credit({ gameServiceId, ...owner, currencyCode: 'gold', amount: 10.5 }, k);
    expect(wallet.gameServiceId).toBe(gameServiceId);
    expect(wallet.balances).toEqual([{ currencyCode: 'gold', amount: 10.5, held: 0, available: 10.5 }]);
    const after = await env.currency.credit({ gameServiceId, walletId: wallet.walletId, currencyCode: 'amber', amount: 1 }, key());
    expect(after.balances.map((b) => b.currencyCode)).toEqual(['amber', 'gold']);
    await expect(env.currency.credit({ gameServiceId, currencyCode: 'gold', amount: 1 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(
      env.currency.credit({ gameServiceId, walletId: randomUUID(), currencyCode: 'gold', amount: 1 }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.currency.credit({ gameServiceId, ...owner, currencyCode: 'gold', amount: 0 }, key())).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('an owner has one wallet per game service, each with its own balances', async () => {
    const owner = { ownerId: randomUUID(), ownerType: 'character' };
    const [gsA, gsB] = [randomUUID(), randomUUID()];
    const a = await env.currency.credit({ gameServiceId: gsA, ...owner, currencyCode: 'gold', amount: 30 }, key());
    const b = await env.currency.getOrCreateWallet({ ...owner, gameServiceId: gsB });
    expect(b.walletId).not.toBe(a.walletId);
    expect(b).toEqual({ walletId: b.walletId, ...owner, gameServiceId: gsB, balances: [] });
    await env.currency.credit({ gameServiceId: gsB, ...owner, currencyCode: 'gold', amount: 5 }, key());
    expect((await env.currency.getWallet({ gameServiceId: gsA, ...owner }))!.balances).toEqual([
      { currencyCode: 'gold', amount: 30, held: 0, available: 30 },
    ]);
    expect((await env.currency.getWallet({ gameServiceId: gsB, ...owner }))!.balances).toEqual([
      { currencyCode: 'gold', amount: 5, held: 0, available: 5 },
    ]);
  });
});

describe('holds', () => {
  it('a hold reserves funds; insufficient funds beyond what is available', async () => {
    const { gameServiceId, walletId } = await funded(100);
    const hold = await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 60, expiresAt: inAnHour() }, key('hold'));
    expect(hold).toMatchObject({ walletId, currencyCode: 'gold', amount: 60, status: 'Held', capturedAmount: null });
    expect(await balance(gameServiceId, walletId)).toEqual({ currencyCode: 'gold', amount: 100, held: 60, available: 40 });
    await expect(
      env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 40.0001, expiresAt: inAnHour() }, key()),
    ).rejects.toMatchObject({ kind: 'insufficient_funds' });
    await expect(
      env.currency.createHold({ walletId, gameServiceId, currencyCode: 'silver', amount: 1, expiresAt: inAnHour() }, key()),
    ).rejects.toMatchObject({ kind: 'insufficient_funds' });
    await expect(
      env.currency.createHold({ walletId: randomUUID(), gameServiceId, currencyCode: 'gold', amount: 1, expiresAt: inAnHour() }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 40, expiresAt: inAnHour() }, key());
    expect(await balance(gameServiceId, walletId)).toMatchObject({ held: 100, available: 0 });
  });

  it('createHold replays return the same hold and reserve once, even with 50 concurrent calls', async () => {
    const { gameServiceId, walletId } = await funded(100);
    const k = key('hold');
    const input = { walletId, gameServiceId, currencyCode: 'gold', amount: 30, expiresAt: inAnHour() };
    const { ok, errors } = await concurrently(50, () => env.currency.createHold(input, k));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((h) => h.holdId)).size).toBe(1);
    expect(await balance(gameServiceId, walletId)).toMatchObject({ held: 30, available: 70 });
    expect(await env.prisma.stubCurrencyHold.count({ where: { walletId } })).toBe(1);
  });

  it('concurrent holds never overdraw', async () => {
    const { gameServiceId, walletId } = await funded(100);
    const { ok, errors } = await concurrently(50, () =>
      env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 7, expiresAt: inAnHour() }, key('race')),
    );
    expect(ok).toHaveLength(14);
    expect(errors.map((e) => (e as ClientError).kind)).toEqual(Array(36).fill('insufficient_funds'));
    expect(await balance(gameServiceId, walletId)).toEqual({ currencyCode: 'gold', amount: 100, held: 98, available: 2 });
  });

  it('capture deducts the captured amount once, frees the rest, and is idempotent', async () => {
    const { gameServiceId, walletId } = await funded(100);
    const hold = await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 30, expiresAt: inAnHour() }, key());
    const k = key('capture');
    const { ok, errors } = await concurrently(20, () =>
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 25 }, k),
    );
    expect(errors).toEqual([]);
    expect(ok[0]).toMatchObject({ holdId: hold.holdId, status: 'Captured', capturedAmount: 25 });
    expect(await balance(gameServiceId, walletId)).toEqual({ currencyCode: 'gold', amount: 75, held: 0, available: 75 });
    // The same capture again with a new key is a no-op; a different amount or a release is a conflict.
    expect(await env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 25 }, key())).toMatchObject({
      status: 'Captured',
    });
    expect(await balance(gameServiceId, walletId)).toMatchObject({ amount: 75 });
    await expect(
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 30 }, key()),
    ).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, key())).rejects.toMatchObject({ kind: 'conflict' });
    expect(await env.currency.getHold(hold.holdId, gameServiceId)).toMatchObject({ status: 'Captured', capturedAmount: 25 });
  });

  it('capture refuses more than the hold, and unknown holds', async () => {
    const { gameServiceId, walletId } = await funded(10);
    const hold = await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 5, expiresAt: inAnHour() }, key());
    await expect(
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 6 }, key()),
    ).rejects.toMatchObject({ kind: 'invalid' });
    await expect(
      env.currency.captureHold({ holdId: randomUUID(), gameServiceId, captureAmount: 1 }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(await balance(gameServiceId, walletId)).toMatchObject({ amount: 10, held: 5 });
  });

  it('release frees the funds, is idempotent, and a released hold cannot be captured', async () => {
    const { gameServiceId, walletId } = await funded(50);
    const hold = await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 50, expiresAt: inAnHour() }, key());
    const k = key('release');
    const first = await env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, k);
    expect(await env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, k)).toEqual(first);
    expect(first.status).toBe('Released');
    expect(await env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, key())).toMatchObject({ status: 'Released' });
    expect(await balance(gameServiceId, walletId)).toEqual({ currencyCode: 'gold', amount: 50, held: 0, available: 50 });
    await expect(
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 1 }, key()),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('an expired hold reserves nothing and cannot be captured', async () => {
    const { gameServiceId, walletId } = await funded(20);
    const past = new Date(Date.now() - 1000).toISOString();
    const hold = await env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 20, expiresAt: past }, key());
    expect(await balance(gameServiceId, walletId)).toMatchObject({ held: 0, available: 20 });
    await expect(
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 20 }, key()),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect(await env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, key())).toMatchObject({ status: 'Released' });
  });

  it('concurrent captures and new holds keep balance = credits - captures and never go negative', async () => {
    const { gameServiceId, walletId } = await funded(100);
    const holds = await Promise.all(
      Array.from({ length: 10 }, () =>
        env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 10, expiresAt: inAnHour() }, key()),
      ),
    );
    // Capture 5 holds (7 each) and release 5 while 20 new holds of 5 race for the freed funds.
    const ops = [
      ...holds.slice(0, 5).map((h) => () => env.currency.captureHold({ holdId: h.holdId, gameServiceId, captureAmount: 7 }, key())),
      ...holds.slice(5).map((h) => () => env.currency.releaseHold({ holdId: h.holdId, gameServiceId }, key())),
      ...Array.from({ length: 20 }, () => () =>
        env.currency.createHold({ walletId, gameServiceId, currencyCode: 'gold', amount: 5, expiresAt: inAnHour() }, key()),
      ),
    ];
    await concurrently(ops.length, (i) => ops[i]!());
    const b = await balance(gameServiceId, walletId);
    expect(b.amount).toBe(65);
    expect(b.available).toBeGreaterThanOrEqual(0);
    expect(b.held).toBeLessThanOrEqual(65);
    expect(b.held % 5).toBe(0);
  });
});

describe('tenancy', () => {
  it("another game service cannot see a wallet or hold: reads are null, mutations not_found, and nothing changes", async () => {
    const { gameServiceId: gsA, owner, walletId } = await funded(100);
    const gsB = randomUUID();
    const hold = await env.currency.createHold({ walletId, gameServiceId: gsA, currencyCode: 'gold', amount: 30, expiresAt: inAnHour() }, key());
    const walletBefore = await env.currency.getWallet({ gameServiceId: gsA, walletId });
    expect(walletBefore).toMatchObject({ gameServiceId: gsA, balances: [{ currencyCode: 'gold', amount: 100, held: 30, available: 70 }] });

    // Reads in B: nothing there.
    expect(await env.currency.getWallet({ gameServiceId: gsB, walletId })).toBeNull();
    expect(await env.currency.getWallet({ gameServiceId: gsB, ...owner })).toBeNull();
    expect(await env.currency.getHold(hold.holdId, gsB)).toBeNull();

    // Mutations in B on A's wallet and hold: not_found.
    await expect(
      env.currency.credit({ gameServiceId: gsB, walletId, currencyCode: 'gold', amount: 1000 }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      env.currency.createHold({ walletId, gameServiceId: gsB, currencyCode: 'gold', amount: 10, expiresAt: inAnHour() }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      env.currency.captureHold({ holdId: hold.holdId, gameServiceId: gsB, captureAmount: 30 }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.currency.releaseHold({ holdId: hold.holdId, gameServiceId: gsB }, key())).rejects.toMatchObject({ kind: 'not_found' });

    // Nothing changed in A: same wallet, same balances, the hold is still Held.
    expect(await env.currency.getWallet({ gameServiceId: gsA, walletId })).toEqual(walletBefore);
    expect(await env.currency.getHold(hold.holdId, gsA)).toEqual(hold);
    expect(await env.prisma.stubCurrencyHold.count({ where: { walletId } })).toBe(1);
    // The owner has no wallet in B (the failed calls created none).
    expect(await env.prisma.stubWallet.count({ where: { ownerId: owner.ownerId, gameServiceId: gsB } })).toBe(0);
  });

  it('crediting the same owner in another game service creates a separate wallet there, not a credit to the first', async () => {
    const { gameServiceId: gsA, owner, walletId } = await funded(100);
    const gsB = randomUUID();
    const inB = await env.currency.credit({ gameServiceId: gsB, ...owner, currencyCode: 'gold', amount: 7 }, key());
    expect(inB.walletId).not.toBe(walletId);
    expect(inB).toMatchObject({ gameServiceId: gsB, balances: [{ currencyCode: 'gold', amount: 7 }] });
    expect(await balance(gsA, walletId)).toEqual({ currencyCode: 'gold', amount: 100, held: 0, available: 100 });
    // A hold in B on B's wallet cannot draw on A's funds.
    await expect(
      env.currency.createHold({ walletId: inB.walletId, gameServiceId: gsB, currencyCode: 'gold', amount: 8, expiresAt: inAnHour() }, key()),
    ).rejects.toMatchObject({ kind: 'insufficient_funds' });
  });
});
