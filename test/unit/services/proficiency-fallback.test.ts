// ProficiencyService with a store whose backing (the seed service) is unreachable: the
// seed document's fallback, and the warning it logs at most once per interval.
import { Scope } from '../../../src/services/scope.js';
import { describe, expect, it } from 'vitest';
import { CraftError } from '../../../src/domain/errors.js';
import { DEFAULT_PHASE_THRESHOLDS } from '../../../src/domain/proficiency/levels.js';
import type { Tx } from '../../../src/services/ports.js';
import { ProficiencyService } from '../../../src/services/proficiency/proficiency-service.js';
import type { ProficiencyStore } from '../../../src/services/proficiency/proficiency-store.js';

const down = () => Promise.reject(new CraftError('DEPENDENCY_UNAVAILABLE', 'seed down', { dependency: 'seed' }));

function setup() {
  let now = 0;
  const warnings: string[] = [];
  const store: ProficiencyStore = {
    source: 'seed',
    transactional: false,
    decimals: 4,
    find: down,
    list: down,
    add: down,
    setTotal: down,
    registerDomains: down,
  };
  const service = new ProficiencyService({
    store,
    domains: { domainInUse: async () => true },
    uow: { run: () => Promise.reject(new Error('no transaction expected')) },
    outbox: { add: async () => undefined, kick: () => undefined },
    gameServices: { get: async () => ({ isActive: true }) } as never,
    clock: { now: () => new Date(now) },
    ids: { uuid: () => 'id' },
    log: { info: () => undefined, debug: () => undefined, error: () => undefined, warn: (_o: unknown, msg?: unknown) => void warnings.push(String(msg)) },
    settings: {
      maxProficiencyLevel: 40,
      levelExperienceBase: 10,
      phaseThresholds: [...DEFAULT_PHASE_THRESHOLDS],
      experienceScalingFactor: 1,
      checksSkippedWarningIntervalMs: 30_000,
    },
  });
  return { service, warnings, advance: (ms: number) => (now += ms) };
}

const who = { entityId: 'e', entityType: 'character' };

describe('ProficiencyService, seed service unavailable', () => {
  it('levelOf_answersTheMaximumLevel_warningAtMostOncePerInterval', async () => {
    const { service, warnings, advance } = setup();
    for (let i = 0; i < 5; i++) expect(await service.levelOf('gs', who, 'blacksmithing')).toBe(40);
    expect(warnings.filter((w) => /checks skipped/.test(w))).toHaveLength(1);
    advance(29_999);
    await service.levelOf('gs', who, 'alchemy');
    expect(warnings).toHaveLength(1);
    advance(1);
    await service.levelOf('gs', who, 'alchemy');
    expect(warnings).toHaveLength(2);
  });

  it('levels_everyDomainAtTheMaximum', async () => {
    const { service } = setup();
    const levels = await service.levels('gs', who);
    expect([levels.get('blacksmithing'), levels.get('anything')]).toEqual([40, 40]);
  });

  it('grantInTx_noEventsAndNothingGranted', async () => {
    const { service, warnings } = setup();
    const result = await service.grantInTx({} as Tx, { gameServiceId: 'gs', ...who, domain: 'blacksmithing', amount: 50, idempotencyKey: 'k' });
    expect(result).toMatchObject({ experienceAmount: 0, levelChanged: false, events: [] });
    expect(warnings).toEqual(['seed service unavailable: crafting experience not granted']);
  });

  it('manualOperations_503WithTheDependency', async () => {
    const { service } = setup();
    for (const call of [
      () => service.get(Scope.all, 'gs', who, 'blacksmithing'),
      () => service.list(Scope.all, 'gs', who),
      () => service.grant(Scope.all, 'gs', who, 'blacksmithing', 5),
      () => service.set(Scope.all, 'gs', who, 'blacksmithing', 5),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503, details: { dependency: 'seed' } });
    }
  });
});
