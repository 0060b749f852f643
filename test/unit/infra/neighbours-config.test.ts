import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/infra/config/config.js';

const AUTH = { CRAFT_AUTH_JWT_SECRET: 'unit-test-secret-0123456789' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...AUTH, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('neighbour addresses', () => {
  it('outsideStandalone_withoutAddresses_refusesToStart_namingEachHardDependency', () => {
    const found = problems({});
    expect(found).toHaveLength(5);
    for (const name of ['CRAFT_GAME_SERVICE_URL', 'CRAFT_ITEM_URL', 'CRAFT_INVENTORY_URL', 'CRAFT_CONTRACT_URL', 'CRAFT_CURRENCY_URL']) {
      expect(found.some((p) => p.startsWith(`${name}:`)), name).toBe(true);
    }
    // Soft dependencies may stay unset.
    expect(found.some((p) => /AFFIX|SEED|LOCATION|ANALYTICS/.test(p))).toBe(false);
  });

  it('oneHardDependencyMissing_isTheOnlyProblem', () => {
    const env = {
      CRAFT_GAME_SERVICE_URL: 'http://gs:80',
      CRAFT_ITEM_URL: 'http://item:80',
      CRAFT_INVENTORY_URL: 'http://inventory:80',
      CRAFT_CURRENCY_URL: 'http://currency:80',
    };
    expect(problems(env)).toEqual([expect.stringMatching(/^CRAFT_CONTRACT_URL: the contract service is a hard dependency/)]);
  });

  it('neighboursUrl_coversEveryService_andAServiceOwnAddressWins', () => {
    const config = loadConfig({ ...AUTH, CRAFT_NEIGHBOURS_URL: 'http://stubs:3100', CRAFT_ITEM_URL: 'https://items.internal/api' });
    expect(config.neighbours.urls).toEqual({
      gameService: 'http://stubs:3100',
      item: 'https://items.internal/api',
      inventory: 'http://stubs:3100',
      contract: 'http://stubs:3100',
      currency: 'http://stubs:3100',
      affix: 'http://stubs:3100',
      seed: 'http://stubs:3100',
      location: 'http://stubs:3100',
      analytics: 'http://stubs:3100',
    });
  });

  it('standalone_withoutAddresses_startsOnTheInProcessStubs', () => {
    expect(loadConfig({ ...AUTH, CRAFT_STANDALONE: 'true' }).neighbours.urls).toEqual({});
  });

  it('callSettings_haveDefaults_andBadValuesAreRefused', () => {
    const config = loadConfig({ ...AUTH, CRAFT_STANDALONE: 'true' });
    expect(config.neighbours.calls).toEqual({ timeoutMs: 2000, retries: 2, connections: 32, queue: 256, breakerFailures: 5, breakerHalfOpenMs: 5000 });
    expect(problems({ CRAFT_STANDALONE: 'true', CRAFT_NEIGHBOUR_TIMEOUT_MS: '10' })).toEqual([expect.stringMatching(/^CRAFT_NEIGHBOUR_TIMEOUT_MS: must be >= 50/)]);
    expect(problems({ CRAFT_STANDALONE: 'true', CRAFT_ITEM_URL: 'ftp://items' })).toEqual([expect.stringMatching(/^CRAFT_ITEM_URL: must be a URL with scheme http/)]);
    expect(problems({ CRAFT_STANDALONE: 'true', CRAFT_NEIGHBOUR_JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/^CRAFT_NEIGHBOUR_JWT_SECRET: must be at least 16/)]);
    expect(problems({ CRAFT_STANDALONE: 'true', CRAFT_NEIGHBOUR_TOKEN: 't', CRAFT_NEIGHBOUR_JWT_SECRET: 'a-secret-of-sixteen-chars' })).toEqual([
      expect.stringMatching(/^CRAFT_NEIGHBOUR_TOKEN and CRAFT_NEIGHBOUR_JWT_SECRET: set one of them/),
    ]);
  });
});
