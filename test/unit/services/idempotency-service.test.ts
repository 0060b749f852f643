// The idempotency protocol against an in-memory repository with the same conditional
// semantics as the MariaDB one (the HTTP behaviour is in test/integration/http/idempotency.test.ts).
import { describe, expect, it } from 'vitest';
import { CraftError } from '../../../src/domain/errors.js';
import { canonicalJson } from '../../../src/domain/canonical-json.js';
import { requestHash } from '../../../src/http/idempotency/request-hash.js';
import type {
  IdempotencyRecord,
  IdempotencyRepository,
  StoredResponse,
} from '../../../src/services/idempotency/idempotency-repository.js';
import {
  DEFAULT_IDEMPOTENCY_SETTINGS,
  IdempotencyService,
  type IdempotencySettings,
} from '../../../src/services/idempotency/idempotency-service.js';

class MemoryRepository implements IdempotencyRepository {
  readonly rows = new Map<string, IdempotencyRecord>();
  private id = (c: string, k: string) => `${c}|${k}`;

  async insert(i: { callerKey: string; key: string; requestHash: string; claimedAt: Date; expiresAt: Date }) {
    const id = this.id(i.callerKey, i.key);
    if (this.rows.has(id)) return false;
    this.rows.set(id, { requestHash: i.requestHash, status: 'in_progress', response: null, claimedAt: i.claimedAt, expiresAt: i.expiresAt });
    return true;
  }
  async find(c: string, k: string) {
    const row = this.rows.get(this.id(c, k));
    return row ? { ...row } : null;
  }
  async deleteIfExpired(c: string, k: string, now: Date) {
    const row = this.rows.get(this.id(c, k));
    if (row && row.expiresAt <= now) this.rows.delete(this.id(c, k));
  }
  private owned(c: string, k: string, claimedAt: Date) {
    const row = this.rows.get(this.id(c, k));
    return row && row.status === 'in_progress' && row.claimedAt.getTime() === claimedAt.getTime() ? row : null;
  }
  async takeOver(c: string, k: string, stale: Date, claimedAt: Date, expiresAt: Date) {
    const row = this.owned(c, k, stale);
    if (!row) return false;
    Object.assign(row, { claimedAt, expiresAt });
    return true;
  }
  async complete(c: string, k: string, claimedAt: Date, response: StoredResponse, expiresAt: Date) {
    const row = this.owned(c, k, claimedAt);
    if (!row) return false;
    Object.assign(row, { status: 'completed', response, expiresAt });
    return true;
  }
  async release(c: string, k: string, claimedAt: Date) {
    if (this.owned(c, k, claimedAt)) this.rows.delete(this.id(c, k));
  }
  async purgeExpired(now: Date, limit: number) {
    let n = 0;
    for (const [id, row] of this.rows) {
      if (n < limit && row.expiresAt <= now) {
        this.rows.delete(id);
        n++;
      }
    }
    return n;
  }
}

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const OK: StoredResponse = { status: 200, contentType: 'application/json; charset=utf-8', body: '{"ok":true}' };

function setup(settings: Partial<IdempotencySettings> = {}) {
  const repo = new MemoryRepository();
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  let replays = 0;
  const service = new IdempotencyService(
    { repo, clock, log: silent, replays: { inc: () => replays++ } },
    { ...DEFAULT_IDEMPOTENCY_SETTINGS, retentionMs: 3_600_000, ...settings },
  );
  return { repo, service, advance: (ms: number) => (offset += ms), replays: () => replays };
}

const req = (key = 'k', hash = 'h1') => ({ callerKey: 'anonymous', key, requestHash: hash });

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return null;
  } catch (err) {
    return err instanceof CraftError ? err.code : String(err);
  }
}

describe('IdempotencyService', () => {
  it('begin_newKeyThenRetry_executesOnceThenReplays', async () => {
    const { service, replays } = setup();
    const first = await service.begin(req());
    expect(first.kind).toBe('execute');
    if (first.kind !== 'execute') return;
    await service.finish(first.claim, OK);
    expect(await service.begin(req())).toEqual({ kind: 'replay', response: OK });
    expect(replays()).toBe(1);
  });

  it('begin_sameKeyAnotherHash_isKeyReusedWhetherRunningOrDone', async () => {
    const { service } = setup();
    const first = await service.begin(req('k', 'h1'));
    expect(await codeOf(service.begin(req('k', 'h2')))).toBe('IDEMPOTENCY_KEY_REUSED');
    if (first.kind === 'execute') await service.finish(first.claim, OK);
    expect(await codeOf(service.begin(req('k', 'h2')))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('begin_whileTheFirstRuns_waitsAndReplaysAsSoonAsItFinishes', async () => {
    const { service } = setup({ pollMinMs: 5_000, pollMaxMs: 5_000 });
    const first = await service.begin(req());
    const waiting = service.begin(req());
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    if (first.kind === 'execute') await service.finish(first.claim, OK);
    // Woken on this instance at once, not at the next 5 s poll.
    expect(await waiting).toEqual({ kind: 'replay', response: OK });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('begin_firstStillRunningPastTheWait_answersInProgress', async () => {
    const { service } = setup({ waitMs: 100 });
    await service.begin(req());
    expect(await codeOf(service.begin(req()))).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
  });

  it('finish_with5xx_releasesTheKeySoTheWaiterExecutes', async () => {
    const { service, repo } = setup();
    const first = await service.begin(req());
    const waiting = service.begin(req());
    await new Promise((r) => setTimeout(r, 20));
    if (first.kind === 'execute') await service.finish(first.claim, { ...OK, status: 503 });
    const second = await waiting;
    expect(second.kind).toBe('execute');
    expect([...repo.rows.values()][0]!.status).toBe('in_progress');
  });

  it('begin_claimOlderThanTheLease_isTakenOverAndTheOldClaimCannotStore', async () => {
    const { service, repo, advance } = setup({ inProgressLeaseMs: 60_000 });
    const crashed = await service.begin(req());
    advance(61_000);
    const retry = await service.begin(req());
    expect(retry.kind).toBe('execute');
    // The abandoned request finishing late changes nothing; the new owner's answer is kept.
    if (crashed.kind === 'execute') await service.finish(crashed.claim, { ...OK, body: '{"late":true}' });
    if (retry.kind === 'execute') await service.finish(retry.claim, OK);
    expect([...repo.rows.values()][0]!.response).toEqual(OK);
  });

  it('begin_expiredRecord_isFreeAgainAndPurgeDeletesExpiredOnly', async () => {
    const { service, repo, advance } = setup({ retentionMs: 1000, purgeBatchSize: 2 });
    for (const key of ['a', 'b', 'c']) {
      const d = await service.begin(req(key));
      if (d.kind === 'execute') await service.finish(d.claim, OK);
    }
    advance(2000);
    expect((await service.begin(req('a', 'other'))).kind).toBe('execute');
    expect(await service.purgeExpired()).toBe(2); // b and c, in two batches
    expect([...repo.rows.keys()]).toEqual(['anonymous|a']);
  });
});

describe('requestHash', () => {
  it('canonicalJson_sortsKeysAtEveryLevelAndKeepsArrayOrder', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson(JSON.parse('{"x": 1.0, "s": "\\u00e9"}'))).toBe('{"s":"é","x":1}');
  });

  it('requestHash_dependsOnMethodPathAndBodyOnly', () => {
    const h = requestHash('POST', '/craft/recipe/create', { a: 1, b: 2 });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash('post', '/craft/recipe/create', { b: 2, a: 1 })).toBe(h);
    expect(requestHash('POST', '/craft/recipe/update', { a: 1, b: 2 })).not.toBe(h);
    expect(requestHash('POST', '/craft/recipe/create', { a: 1, b: 3 })).not.toBe(h);
  });
});
